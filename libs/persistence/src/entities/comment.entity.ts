import { Check, Column, CreateDateColumn, Entity, ForeignKey, Index, PrimaryColumn } from 'typeorm';
import { CommentThreadEntity } from './comment-thread.entity';
import { UserEntity } from './user.entity';

/**
 * One message of a thread. The id is made by the client, so a resend finds
 * its first copy. A deleted comment keeps its row with an empty body.
 */
@Entity({ name: 'comments' })
@Index('idx_comments_thread_id', ['threadId', 'createdAt'])
@Check(
  'chk_comments_body',
  `char_length("body") <= 10000 AND ("deleted_at" IS NOT NULL OR char_length("body") >= 1)`,
)
export class CommentEntity {
  @PrimaryColumn({ name: 'id', type: 'uuid', primaryKeyConstraintName: 'pk_comments' })
  id!: string;

  @ForeignKey(() => CommentThreadEntity, { name: 'fk_comments_thread_id', onDelete: 'CASCADE' })
  @Column({ name: 'thread_id', type: 'uuid' })
  threadId!: string;

  @ForeignKey(() => UserEntity, { name: 'fk_comments_author_id', onDelete: 'CASCADE' })
  @Column({ name: 'author_id', type: 'uuid' })
  authorId!: string;

  @Column({ name: 'body', type: 'text' })
  body!: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @Column({ name: 'edited_at', type: 'timestamptz', nullable: true })
  editedAt!: Date | null;

  @Column({ name: 'deleted_at', type: 'timestamptz', nullable: true })
  deletedAt!: Date | null;
}
