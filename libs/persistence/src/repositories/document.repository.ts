import type { EntityManager } from 'typeorm';
import { DocumentMemberEntity, DocumentRole } from '../entities/document-member.entity';
import { DocumentEntity } from '../entities/document.entity';
import { bigintToNumber } from '../version';
import { insertOperations, type NewOperation } from './operation.repository';
import type { UserBadge } from './user.repository';

/** What changes with every edit: the head version and the time of the last edit. */
export interface DocumentHead {
  readonly id: string;
  readonly headVersion: number;
  readonly updatedAt: Date;
}

/** A document in a member's list, with the member's role. */
export interface MemberDocument extends DocumentHead {
  readonly title: string;
  readonly ownerId: string;
  readonly role: DocumentRole;
}

/** What every member of a document may see of it and what rarely changes. */
export interface DocumentMeta {
  readonly id: string;
  readonly title: string;
  readonly ownerId: string;
}

/**
 * Creates a document with its owner as a member (one transaction) and returns
 * its id. An owner that does not exist fails with the foreign-key violation
 * `fk_documents_owner_id` (a valid token of a since-deleted account).
 *
 * `initial`, when given, are the document's first operations (versions 1..n),
 * logged in the same transaction. That is the one write to the log outside a
 * doc-service actor, and it is safe: until the transaction commits nobody can
 * open the document, so no actor exists that could hold those versions.
 */
export function insertDocument(
  manager: EntityManager,
  ownerId: string,
  title: string,
  initial: readonly Omit<NewOperation, 'documentId'>[] = [],
): Promise<string> {
  return manager.transaction(async (tx) => {
    const inserted = await tx.getRepository(DocumentEntity).insert({ title, ownerId });
    const id = (inserted.identifiers[0] as { id: string }).id;
    await tx
      .getRepository(DocumentMemberEntity)
      .insert({ documentId: id, userId: ownerId, role: DocumentRole.Owner });
    if (initial.length > 0)
      await insertOperations(
        tx,
        initial.map((op) => ({ ...op, documentId: id })),
      );
    return id;
  });
}

/** The head of each listed document that exists and is not deleted (in no particular order). */
export async function documentHeads(
  manager: EntityManager,
  docIds: readonly string[],
): Promise<DocumentHead[]> {
  if (docIds.length === 0) return [];
  const rows: { id: string; head_version: string; updated_at: Date }[] = await manager.query(
    'SELECT id, head_version, updated_at FROM documents WHERE id = ANY($1::uuid[]) AND deleted_at IS NULL',
    [docIds],
  );
  return rows.map((row) => ({
    id: row.id,
    headVersion: bigintToNumber(row.head_version),
    updatedAt: row.updated_at,
  }));
}

/** The head of one document, or null when it does not exist or is deleted. */
export async function documentHead(manager: EntityManager, docId: string): Promise<DocumentHead | null> {
  const [head] = await documentHeads(manager, [docId]);
  return head ?? null;
}

/**
 * The documents a user is a member of (owned and shared, not deleted), most
 * recently edited first, at most `limit`.
 */
export async function documentsOfMember(
  manager: EntityManager,
  userId: string,
  limit: number,
): Promise<MemberDocument[]> {
  const rows: {
    id: string;
    title: string;
    owner_id: string;
    head_version: string;
    updated_at: Date;
    role: DocumentRole;
  }[] = await manager.query(
    `SELECT d.id, d.title, d.owner_id, d.head_version, d.updated_at, m.role
     FROM document_members m JOIN documents d ON d.id = m.document_id
     WHERE m.user_id = $1 AND d.deleted_at IS NULL
     ORDER BY d.updated_at DESC, d.id
     LIMIT $2`,
    [userId, limit],
  );
  return rows.map((row) => ({
    id: row.id,
    title: row.title,
    ownerId: row.owner_id,
    headVersion: bigintToNumber(row.head_version),
    updatedAt: row.updated_at,
    role: row.role,
  }));
}

/** Title and owner of a document that is not deleted, or null. */
export async function documentMeta(manager: EntityManager, docId: string): Promise<DocumentMeta | null> {
  const doc = await manager
    .getRepository(DocumentEntity)
    .findOne({ select: { id: true, title: true, ownerId: true }, where: { id: docId } });
  return doc ? { id: doc.id, title: doc.title, ownerId: doc.ownerId } : null;
}

/** A document's title, deleted or not (for naming an export), or null when there is no such document. */
export async function documentTitle(manager: EntityManager, docId: string): Promise<string | null> {
  const rows: { title: string }[] = await manager.query('SELECT title FROM documents WHERE id = $1', [docId]);
  return rows[0]?.title ?? null;
}

export async function renameDocument(manager: EntityManager, docId: string, title: string): Promise<void> {
  await manager.getRepository(DocumentEntity).update({ id: docId }, { title });
}

/**
 * Deletes a document softly: the row stays (history and operations keep their
 * foreign keys, and its members stay, so a former member can be told it was
 * deleted), but it is listed and opened no more.
 */
export async function softDeleteDocument(manager: EntityManager, docId: string): Promise<void> {
  await manager.getRepository(DocumentEntity).softDelete({ id: docId });
}

/** The members of each document, owner first, then by when they joined. */
export async function collaboratorsOf(
  manager: EntityManager,
  docIds: readonly string[],
): Promise<Map<string, UserBadge[]>> {
  const result = new Map<string, UserBadge[]>();
  if (docIds.length === 0) return result;
  const rows: { document_id: string; user_id: string; name: string; color: string }[] = await manager.query(
    `SELECT m.document_id, u.id AS user_id, u.name, u.color
     FROM document_members m JOIN users u ON u.id = m.user_id
     WHERE m.document_id = ANY($1::uuid[])
     ORDER BY m.document_id, (m.role = 'owner') DESC, m.created_at, u.id`,
    [docIds],
  );
  for (const row of rows) {
    const list = result.get(row.document_id) ?? [];
    list.push({ userId: row.user_id, name: row.name, color: row.color });
    result.set(row.document_id, list);
  }
  return result;
}

/** A document's head version and whether it is deleted, or null when there is no such document. */
export async function documentState(
  manager: EntityManager,
  docId: string,
): Promise<{ headVersion: number; deleted: boolean } | null> {
  const rows: { head_version: string; deleted: boolean }[] = await manager.query(
    'SELECT head_version, deleted_at IS NOT NULL AS deleted FROM documents WHERE id = $1',
    [docId],
  );
  return rows[0] ? { headVersion: bigintToNumber(rows[0].head_version), deleted: rows[0].deleted } : null;
}
