import {
  Check,
  Column,
  CreateDateColumn,
  Entity,
  ForeignKey,
  Index,
  PrimaryColumn,
  UpdateDateColumn,
} from 'typeorm';
import { DocumentEntity } from './document.entity';
import { UserEntity } from './user.entity';

/** The roles a person can have on a document (the same values as `Role` in @collab/contracts). */
export const DocumentRole = {
  Owner: 'owner',
  Editor: 'editor',
  Commenter: 'commenter',
  Viewer: 'viewer',
} as const;

export type DocumentRole = (typeof DocumentRole)[keyof typeof DocumentRole];

/**
 * A person's role on a document. The owner is a member too (role `owner`), so
 * "documents I can open" is one index scan on `user_id`. A partial unique index
 * allows at most one owner per document.
 */
@Entity({ name: 'document_members' })
@Index('idx_document_members_user_id', ['userId'])
@Index('uq_document_members_one_owner', ['documentId'], { unique: true, where: `"role" = 'owner'` })
@Check('chk_document_members_role', `"role" IN ('owner', 'editor', 'commenter', 'viewer')`)
export class DocumentMemberEntity {
  @ForeignKey(() => DocumentEntity, { name: 'fk_document_members_document_id', onDelete: 'CASCADE' })
  @PrimaryColumn({ name: 'document_id', type: 'uuid', primaryKeyConstraintName: 'pk_document_members' })
  documentId!: string;

  @ForeignKey(() => UserEntity, { name: 'fk_document_members_user_id', onDelete: 'CASCADE' })
  @PrimaryColumn({ name: 'user_id', type: 'uuid', primaryKeyConstraintName: 'pk_document_members' })
  userId!: string;

  @Column({ name: 'role', type: 'text' })
  role!: DocumentRole;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}
