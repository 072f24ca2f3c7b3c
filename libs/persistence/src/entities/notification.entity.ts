import {
  Check,
  Column,
  CreateDateColumn,
  Entity,
  ForeignKey,
  Index,
  PrimaryGeneratedColumn,
  Unique,
} from 'typeorm';
import { CommentThreadEntity } from './comment-thread.entity';
import { CommentEntity } from './comment.entity';
import { DocumentEntity } from './document.entity';
import { UserEntity } from './user.entity';

/** Why a user is notified (the same values as `NotificationKind` in @collab/contracts). */
export const NotificationKindValue = {
  Mention: 'mention',
} as const;

export type NotificationKindValue = (typeof NotificationKindValue)[keyof typeof NotificationKindValue];

/**
 * An entry of a user's inbox. At most one per (user, comment, kind): editing a
 * comment, or resending it, never notifies the same person twice.
 */
@Entity({ name: 'notifications' })
@Unique('uq_notifications_user_comment_kind', ['userId', 'commentId', 'kind'])
@Index('idx_notifications_user_id_created_at', ['userId', 'createdAt'])
@Check('chk_notifications_kind', `"kind" IN ('mention')`)
export class NotificationEntity {
  @PrimaryGeneratedColumn('uuid', { name: 'id', primaryKeyConstraintName: 'pk_notifications' })
  id!: string;

  @ForeignKey(() => UserEntity, { name: 'fk_notifications_user_id', onDelete: 'CASCADE' })
  @Column({ name: 'user_id', type: 'uuid' })
  userId!: string;

  @Column({ name: 'kind', type: 'text' })
  kind!: NotificationKindValue;

  @ForeignKey(() => DocumentEntity, { name: 'fk_notifications_document_id', onDelete: 'CASCADE' })
  @Column({ name: 'document_id', type: 'uuid' })
  documentId!: string;

  @ForeignKey(() => CommentThreadEntity, { name: 'fk_notifications_thread_id', onDelete: 'CASCADE' })
  @Column({ name: 'thread_id', type: 'uuid' })
  threadId!: string;

  @ForeignKey(() => CommentEntity, { name: 'fk_notifications_comment_id', onDelete: 'CASCADE' })
  @Column({ name: 'comment_id', type: 'uuid' })
  commentId!: string;

  @ForeignKey(() => UserEntity, { name: 'fk_notifications_actor_id', onDelete: 'CASCADE' })
  @Column({ name: 'actor_id', type: 'uuid' })
  actorId!: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @Column({ name: 'read_at', type: 'timestamptz', nullable: true })
  readAt!: Date | null;
}
