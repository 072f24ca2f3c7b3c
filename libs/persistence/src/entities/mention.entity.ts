import { Entity, ForeignKey, Index, PrimaryColumn } from 'typeorm';
import { CommentEntity } from './comment.entity';
import { UserEntity } from './user.entity';

/** A person a comment mentions. */
@Entity({ name: 'mentions' })
@Index('idx_mentions_user_id', ['userId'])
export class MentionEntity {
  @ForeignKey(() => CommentEntity, { name: 'fk_mentions_comment_id', onDelete: 'CASCADE' })
  @PrimaryColumn({ name: 'comment_id', type: 'uuid', primaryKeyConstraintName: 'pk_mentions' })
  commentId!: string;

  @ForeignKey(() => UserEntity, { name: 'fk_mentions_user_id', onDelete: 'CASCADE' })
  @PrimaryColumn({ name: 'user_id', type: 'uuid', primaryKeyConstraintName: 'pk_mentions' })
  userId!: string;
}
