import { Check, Column, CreateDateColumn, Entity, ForeignKey, Index, PrimaryColumn } from 'typeorm';
import { bigintNumberTransformer } from '../version';
import { DocumentEntity } from './document.entity';
import { UserEntity } from './user.entity';

/**
 * A discussion on a range of a document. The id is made by the client. The
 * anchor holds at `anchorVersion`; it is moved through the operations logged
 * after that version when read, and stored back only forwards (see
 * `moveThreadAnchors`), never on the commit path.
 */
@Entity({ name: 'comment_threads' })
@Index('idx_comment_threads_document_id', ['documentId', 'createdAt'])
@Check(
  'chk_comment_threads_anchor',
  `"anchor_from" >= 0 AND "anchor_to" >= "anchor_from" AND "anchor_version" >= 0`,
)
@Check('chk_comment_threads_resolved', `("resolved_at" IS NULL) = ("resolved_by" IS NULL)`)
export class CommentThreadEntity {
  @PrimaryColumn({ name: 'id', type: 'uuid', primaryKeyConstraintName: 'pk_comment_threads' })
  id!: string;

  @ForeignKey(() => DocumentEntity, { name: 'fk_comment_threads_document_id', onDelete: 'CASCADE' })
  @Column({ name: 'document_id', type: 'uuid' })
  documentId!: string;

  @Column({ name: 'anchor_from', type: 'integer' })
  anchorFrom!: number;

  @Column({ name: 'anchor_to', type: 'integer' })
  anchorTo!: number;

  @Column({ name: 'anchor_version', type: 'bigint', transformer: bigintNumberTransformer })
  anchorVersion!: number;

  @Column({ name: 'anchor_detached', type: 'boolean', default: false })
  anchorDetached!: boolean;

  @Column({ name: 'quoted_text', type: 'text' })
  quotedText!: string;

  @ForeignKey(() => UserEntity, { name: 'fk_comment_threads_created_by', onDelete: 'CASCADE' })
  @Column({ name: 'created_by', type: 'uuid' })
  createdBy!: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @Column({ name: 'resolved_at', type: 'timestamptz', nullable: true })
  resolvedAt!: Date | null;

  @ForeignKey(() => UserEntity, { name: 'fk_comment_threads_resolved_by', onDelete: 'SET NULL' })
  @Column({ name: 'resolved_by', type: 'uuid', nullable: true })
  resolvedBy!: string | null;
}
