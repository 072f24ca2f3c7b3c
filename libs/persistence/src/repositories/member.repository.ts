import type { EntityManager } from 'typeorm';
import { DocumentMemberEntity, type DocumentRole } from '../entities/document-member.entity';

/** A member of a document, with their account's name and colour. */
export interface MemberRecord {
  readonly userId: string;
  readonly email: string;
  readonly name: string;
  readonly color: string;
  readonly role: DocumentRole;
}

/** One (user, document) pair's current role. */
export interface RoleRecord {
  readonly userId: string;
  readonly docId: string;
  /** Null for no membership, or when the document is deleted or does not exist. */
  readonly role: DocumentRole | null;
  /** The document is deleted or does not exist. */
  readonly deleted: boolean;
}

interface MemberRow {
  user_id: string;
  email: string;
  name: string;
  color: string;
  role: DocumentRole;
}

const toMemberRecord = (row: MemberRow): MemberRecord => ({
  userId: row.user_id,
  email: row.email,
  name: row.name,
  color: row.color,
  role: row.role,
});

/** The current role of each (user, document) pair, in one query (ids must be UUIDs). */
export async function rolesOf(
  manager: EntityManager,
  pairs: readonly { userId: string; docId: string }[],
): Promise<RoleRecord[]> {
  if (pairs.length === 0) return [];
  const rows: { user_id: string; document_id: string; role: DocumentRole | null; deleted: boolean }[] =
    await manager.query(
      `SELECT p.user_id, p.document_id, m.role, (d.id IS NULL OR d.deleted_at IS NOT NULL) AS deleted
       FROM unnest($1::uuid[], $2::uuid[]) AS p(user_id, document_id)
       LEFT JOIN documents d ON d.id = p.document_id
       LEFT JOIN document_members m ON m.document_id = p.document_id AND m.user_id = p.user_id`,
      [pairs.map((p) => p.userId), pairs.map((p) => p.docId)],
    );
  return rows.map((row) => ({
    userId: row.user_id,
    docId: row.document_id,
    role: row.deleted ? null : row.role,
    deleted: row.deleted,
  }));
}

/** Whether the user is a member of the document and the document is deleted. */
export async function isMemberOfDeletedDocument(
  manager: EntityManager,
  userId: string,
  docId: string,
): Promise<boolean> {
  const rows: unknown[] = await manager.query(
    `SELECT 1 FROM document_members m JOIN documents d ON d.id = m.document_id
     WHERE m.document_id = $1 AND m.user_id = $2 AND d.deleted_at IS NOT NULL`,
    [docId, userId],
  );
  return rows.length > 0;
}

/** Every member's user id. */
export async function memberIds(manager: EntityManager, docId: string): Promise<string[]> {
  const rows = await manager
    .getRepository(DocumentMemberEntity)
    .find({ select: { userId: true }, where: { documentId: docId } });
  return rows.map((row) => row.userId);
}

/** The members, owner first, then by when they joined. */
export async function listMembers(manager: EntityManager, docId: string): Promise<MemberRecord[]> {
  const rows: MemberRow[] = await manager.query(
    `SELECT u.id AS user_id, u.email, u.name, u.color, m.role
     FROM document_members m JOIN users u ON u.id = m.user_id
     WHERE m.document_id = $1
     ORDER BY (m.role = 'owner') DESC, m.created_at, u.id`,
    [docId],
  );
  return rows.map(toMemberRecord);
}

/** Whether the account with this (normalized) email is a member. */
export async function isMemberByEmail(
  manager: EntityManager,
  docId: string,
  email: string,
): Promise<boolean> {
  const rows: unknown[] = await manager.query(
    `SELECT 1 FROM document_members m JOIN users u ON u.id = m.user_id
     WHERE m.document_id = $1 AND u.email = $2`,
    [docId, email],
  );
  return rows.length > 0;
}

/**
 * Sets a member's role unless they are the owner (whose role never changes).
 * Returns the member as changed, or null when nothing changed (the owner, or
 * not a member).
 */
export async function changeMemberRole(
  manager: EntityManager,
  docId: string,
  userId: string,
  role: DocumentRole,
): Promise<MemberRecord | null> {
  const [rows]: [MemberRow[], number] = await manager.query(
    `UPDATE document_members m SET role = $3, updated_at = now()
     FROM users u
     WHERE m.document_id = $1 AND m.user_id = $2 AND u.id = m.user_id AND m.role <> 'owner'
     RETURNING u.id AS user_id, u.email, u.name, u.color, m.role`,
    [docId, userId, role],
  );
  return rows[0] ? toMemberRecord(rows[0]) : null;
}

/** Removes a member unless they are the owner; false when nothing was removed. */
export async function removeMember(manager: EntityManager, docId: string, userId: string): Promise<boolean> {
  const [, deleted]: [unknown[], number] = await manager.query(
    `DELETE FROM document_members WHERE document_id = $1 AND user_id = $2 AND role <> 'owner'`,
    [docId, userId],
  );
  return deleted > 0;
}

/**
 * The user's role on the document, locked FOR UPDATE until the caller's
 * transaction ends (so a grant decides on a role nobody changes meanwhile),
 * or null for no membership. Call it inside a transaction.
 */
export async function lockMemberRole(
  manager: EntityManager,
  docId: string,
  userId: string,
): Promise<DocumentRole | null> {
  const rows: { role: DocumentRole }[] = await manager.query(
    'SELECT role FROM document_members WHERE document_id = $1 AND user_id = $2 FOR UPDATE',
    [docId, userId],
  );
  return rows[0]?.role ?? null;
}

export async function insertMember(
  manager: EntityManager,
  docId: string,
  userId: string,
  role: DocumentRole,
): Promise<void> {
  await manager.query('INSERT INTO document_members (document_id, user_id, role) VALUES ($1, $2, $3)', [
    docId,
    userId,
    role,
  ]);
}

/** Sets a member's role, whatever it was (the caller decided, holding lockMemberRole's lock). */
export async function setMemberRole(
  manager: EntityManager,
  docId: string,
  userId: string,
  role: DocumentRole,
): Promise<void> {
  await manager.query(
    'UPDATE document_members SET role = $3, updated_at = now() WHERE document_id = $1 AND user_id = $2',
    [docId, userId, role],
  );
}
