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
import type { DocumentRole } from './document-member.entity';
import { DocumentEntity } from './document.entity';
import { UserEntity } from './user.entity';

/** The roles an invitation can grant: every document role but `owner` (the same values as `InvitableRole` in @collab/contracts). */
export type InvitationRole = Exclude<DocumentRole, typeof DocumentRole.Owner>;

/**
 * An invitation to a document, by email. Only a hash of the link token is stored.
 *
 * Single use: accept with one conditional UPDATE
 * (`... SET accepted_at = now(), accepted_by = $2 WHERE token_hash = $1 AND accepted_at IS NULL
 * AND expires_at > now() RETURNING *`), so two concurrent accepts cannot both succeed.
 * `email` is normalized like `users.email`; pending invitations for a person are
 * found by email (index) after sign-up or sign-in.
 */
@Entity({ name: 'invitations' })
@Unique('uq_invitations_token_hash', ['tokenHash'])
@Index('idx_invitations_email', ['email'])
@Index('idx_invitations_document_id', ['documentId'])
@Check('chk_invitations_role', `"role" IN ('editor', 'commenter', 'viewer')`)
@Check('chk_invitations_email_normalized', `"email" = lower(btrim("email"))`)
@Check('chk_invitations_accepted', `"accepted_by" IS NULL OR "accepted_at" IS NOT NULL`)
export class InvitationEntity {
  @PrimaryGeneratedColumn('uuid', { name: 'id', primaryKeyConstraintName: 'pk_invitations' })
  id!: string;

  @ForeignKey(() => DocumentEntity, { name: 'fk_invitations_document_id', onDelete: 'CASCADE' })
  @Column({ name: 'document_id', type: 'uuid' })
  documentId!: string;

  @Column({ name: 'email', type: 'text' })
  email!: string;

  @Column({ name: 'role', type: 'text' })
  role!: InvitationRole;

  @Column({ name: 'token_hash', type: 'text' })
  tokenHash!: string;

  @ForeignKey(() => UserEntity, { name: 'fk_invitations_invited_by', onDelete: 'CASCADE' })
  @Column({ name: 'invited_by', type: 'uuid' })
  invitedBy!: string;

  @Column({ name: 'expires_at', type: 'timestamptz' })
  expiresAt!: Date;

  @Column({ name: 'accepted_at', type: 'timestamptz', nullable: true })
  acceptedAt!: Date | null;

  @ForeignKey(() => UserEntity, { name: 'fk_invitations_accepted_by', onDelete: 'SET NULL' })
  @Column({ name: 'accepted_by', type: 'uuid', nullable: true })
  acceptedBy!: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}
