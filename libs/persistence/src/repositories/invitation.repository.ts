import type { EntityManager } from 'typeorm';
import { InvitationEntity, type InvitationRole } from '../entities/invitation.entity';

/** Which invitation is meant: by the hash of its link token, or by its id. */
export type InvitationKey = { tokenHash: string } | { id: string };

/** A pending invitation, as its document's owner sees it. */
export interface PendingInvitation {
  readonly id: string;
  readonly documentId: string;
  readonly email: string;
  readonly role: InvitationRole;
  readonly invitedBy: { readonly userId: string; readonly name: string };
  readonly expiresAt: Date;
}

/** A pending invitation, as the invited person sees it. */
export interface ReceivedInvitation extends Omit<PendingInvitation, 'email'> {
  readonly documentTitle: string;
}

/** Why an invitation could not be claimed, as its row tells. */
export interface InvitationStatus {
  readonly expired: boolean;
  readonly accepted: boolean;
  /** The invitation is addressed to the email asked about. */
  readonly forEmail: boolean;
}

const keyCondition = (key: InvitationKey, column: string) =>
  'tokenHash' in key ? `${column}token_hash = $1` : `${column}id = $1::uuid`;
const keyValue = (key: InvitationKey) => ('tokenHash' in key ? key.tokenHash : key.id);

/**
 * Stores an invitation, replacing a pending one for the same document and
 * email (whose link then stops working). Returns its id. Run it in the
 * transaction that checked the person is not a member yet.
 */
export async function replacePendingInvitation(
  manager: EntityManager,
  invitation: {
    documentId: string;
    email: string;
    role: InvitationRole;
    tokenHash: string;
    invitedBy: string;
    expiresAt: Date;
  },
): Promise<string> {
  await manager.query(
    'DELETE FROM invitations WHERE document_id = $1 AND email = $2 AND accepted_at IS NULL',
    [invitation.documentId, invitation.email],
  );
  const inserted = await manager
    .getRepository(InvitationEntity)
    .insert({ ...invitation, acceptedAt: null, acceptedBy: null });
  return (inserted.identifiers[0] as { id: string }).id;
}

/** Withdraws a pending invitation of the document; false when there was none. */
export async function deletePendingInvitation(
  manager: EntityManager,
  docId: string,
  invitationId: string,
): Promise<boolean> {
  const [, deleted]: [unknown[], number] = await manager.query(
    'DELETE FROM invitations WHERE id = $1 AND document_id = $2 AND accepted_at IS NULL',
    [invitationId, docId],
  );
  return deleted > 0;
}

/** The document's pending, unexpired invitations (or only `onlyId`), oldest first. */
export async function pendingInvitationsOf(
  manager: EntityManager,
  docId: string,
  onlyId?: string,
): Promise<PendingInvitation[]> {
  const rows: {
    id: string;
    document_id: string;
    email: string;
    role: InvitationRole;
    invited_by: string;
    inviter_name: string;
    expires_at: Date;
  }[] = await manager.query(
    `SELECT i.id, i.document_id, i.email, i.role, i.invited_by, u.name AS inviter_name, i.expires_at
     FROM invitations i JOIN users u ON u.id = i.invited_by
     WHERE i.document_id = $1 AND i.accepted_at IS NULL AND i.expires_at > now()
       AND ($2::uuid IS NULL OR i.id = $2::uuid)
     ORDER BY i.created_at, i.id`,
    [docId, onlyId ?? null],
  );
  return rows.map((row) => ({
    id: row.id,
    documentId: row.document_id,
    email: row.email,
    role: row.role,
    invitedBy: { userId: row.invited_by, name: row.inviter_name },
    expiresAt: row.expires_at,
  }));
}

/** Pending, unexpired invitations addressed to this (normalized) email, to documents not deleted; newest first. */
export async function invitationsForEmail(
  manager: EntityManager,
  email: string,
): Promise<ReceivedInvitation[]> {
  const rows: {
    id: string;
    document_id: string;
    title: string;
    role: InvitationRole;
    invited_by: string;
    inviter_name: string;
    expires_at: Date;
  }[] = await manager.query(
    `SELECT i.id, i.document_id, d.title, i.role, i.invited_by, u.name AS inviter_name, i.expires_at
     FROM invitations i
     JOIN documents d ON d.id = i.document_id AND d.deleted_at IS NULL
     JOIN users u ON u.id = i.invited_by
     WHERE i.email = $1 AND i.accepted_at IS NULL AND i.expires_at > now()
     ORDER BY i.created_at DESC, i.id`,
    [email],
  );
  return rows.map((row) => ({
    id: row.id,
    documentId: row.document_id,
    documentTitle: row.title,
    role: row.role,
    invitedBy: { userId: row.invited_by, name: row.inviter_name },
    expiresAt: row.expires_at,
  }));
}

/**
 * Marks the invitation accepted by `userId` if it is pending, unexpired,
 * addressed to `email` and its document is not deleted; returns its document
 * and role, or null. One conditional UPDATE: of two concurrent claims exactly
 * one matches the row (single use).
 */
export async function claimInvitation(
  manager: EntityManager,
  key: InvitationKey,
  email: string,
  userId: string,
): Promise<{ documentId: string; role: InvitationRole } | null> {
  const [claimed]: [{ document_id: string; role: InvitationRole }[], number] = await manager.query(
    `UPDATE invitations i SET accepted_at = now(), accepted_by = $3
     WHERE ${keyCondition(key, 'i.')}
       AND i.email = $2 AND i.accepted_at IS NULL AND i.expires_at > now()
       AND EXISTS (SELECT 1 FROM documents d WHERE d.id = i.document_id AND d.deleted_at IS NULL)
     RETURNING i.document_id, i.role`,
    [keyValue(key), email, userId],
  );
  const row = claimed[0];
  return row ? { documentId: row.document_id, role: row.role } : null;
}

/** The invitation's state as seen by the holder of `email`, or null when there is no such invitation. */
export async function invitationStatus(
  manager: EntityManager,
  key: InvitationKey,
  email: string,
): Promise<InvitationStatus | null> {
  const rows: { expired: boolean; accepted: boolean; for_email: boolean }[] = await manager.query(
    `SELECT expires_at <= now() AS expired, accepted_at IS NOT NULL AS accepted, email = $2 AS for_email
     FROM invitations WHERE ${keyCondition(key, '')}`,
    [keyValue(key), email],
  );
  const row = rows[0];
  return row ? { expired: row.expired, accepted: row.accepted, forEmail: row.for_email } : null;
}
