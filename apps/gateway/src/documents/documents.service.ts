import {
  AppError,
  canManage,
  type Collaborator,
  DocumentList,
  type DocumentSummary,
  ErrorCode,
  type Role,
  Role as Roles,
} from '@collab/contracts';
import {
  bigintToNumber,
  DocumentEntity,
  DocumentMemberEntity,
  insertOperations,
  type NewOperation,
} from '@collab/persistence';
import type { DataSource } from 'typeorm';
import { z } from 'zod';
import type { AccessNoticePublisher } from '../access/access-notices.publisher';
import { isForeignKeyViolation } from '../database/pg-errors';
import type { DocumentAccess } from './document-access';
import type { DocumentCache } from './document-cache';

/**
 * Most documents one list answers. The contract has no paging yet; this
 * bounds the cost of one request (newest first, so nothing recent is cut).
 */
const MAX_LISTED_DOCUMENTS = 1_000;

/** The cached, user-independent part of a document's metadata. */
const DocumentMeta = z.object({
  id: z.string(),
  title: z.string(),
  ownerId: z.string(),
  collaborators: z.array(z.object({ userId: z.string(), name: z.string(), color: z.string() })),
});
type DocumentMeta = z.infer<typeof DocumentMeta>;

interface ListedRow {
  id: string;
  title: string;
  owner_id: string;
  head_version: string;
  updated_at: Date;
  role: Role;
}

/** A new document's first operations: their Deltas, and the client id and hash prefix they are logged with. */
export interface InitialOperations {
  readonly deltas: readonly NewOperation['delta'][];
  readonly clientId: string;
  readonly submissionHash: string;
}

/**
 * Documents as their members see them: create, list, read, rename, delete.
 * Access is checked against PostgreSQL on every call; caches hold only what
 * anyone with access may see, and every write invalidates what it changed.
 */
export class DocumentsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly access: DocumentAccess,
    private readonly cache: DocumentCache,
    private readonly notices: AccessNoticePublisher,
  ) {}

  /**
   * A new document owned by `userId`: empty, or written by `initial`, its
   * first operations (versions 1..n, by `userId`), in the same transaction.
   * That is the one write to the log outside a doc-service actor, and it is
   * safe: until the transaction commits nobody can open the document, so no
   * actor exists that could hold those versions.
   */
  async create(userId: string, title: string, initial?: InitialOperations): Promise<DocumentSummary> {
    const docId = await this.dataSource
      .transaction(async (manager) => {
        const inserted = await manager.getRepository(DocumentEntity).insert({ title, ownerId: userId });
        const id = (inserted.identifiers[0] as { id: string }).id;
        await manager
          .getRepository(DocumentMemberEntity)
          .insert({ documentId: id, userId, role: Roles.Owner });
        if (initial && initial.deltas.length > 0) {
          await insertOperations(
            manager,
            initial.deltas.map((delta, i): NewOperation => ({
              documentId: id,
              version: i + 1,
              delta,
              userId,
              clientId: initial.clientId,
              seq: i + 1,
              submissionHash: `${initial.submissionHash}|${i + 1}`,
            })),
          );
        }
        return id;
      })
      .catch((error: unknown) => {
        // A valid token of an account deleted since it was issued.
        if (isForeignKeyViolation(error, 'fk_documents_owner_id')) {
          throw new AppError(ErrorCode.UNAUTHENTICATED, 'This account no longer exists.');
        }
        throw error;
      });
    await this.cache.invalidate({ userIds: [userId] });
    return this.get(userId, docId);
  }

  /**
   * The caller's documents (owned and shared), most recently edited first.
   * The list (memberships, titles, collaborators: the costly joins) is cached
   * for about a minute and invalidated by every change to those; edits do not
   * invalidate it, so the head version and last edit are read fresh for the
   * listed documents (one primary-key lookup) and the order follows them.
   */
  async list(userId: string): Promise<DocumentList> {
    const cached = await this.cachedList(userId);
    const ids = cached.documents.map((d) => d.id);
    if (ids.length === 0) return cached;
    const fresh: { id: string; head_version: string; updated_at: Date }[] = await this.dataSource.query(
      'SELECT id, head_version, updated_at FROM documents WHERE id = ANY($1::uuid[]) AND deleted_at IS NULL',
      [ids],
    );
    const byId = new Map(fresh.map((row) => [row.id, row]));
    const documents = cached.documents
      .filter((d) => byId.has(d.id))
      .map((d) => {
        const row = byId.get(d.id)!;
        return {
          ...d,
          headVersion: bigintToNumber(row.head_version),
          updatedAt: row.updated_at.toISOString(),
        };
      })
      .sort((a, b) => b.updatedAt.localeCompare(a.updatedAt) || a.id.localeCompare(b.id));
    return { documents };
  }

  private cachedList(userId: string): Promise<DocumentList> {
    return this.cache.list(userId, DocumentList, async () => {
      const rows: ListedRow[] = await this.dataSource.query(
        `SELECT d.id, d.title, d.owner_id, d.head_version, d.updated_at, m.role
         FROM document_members m JOIN documents d ON d.id = m.document_id
         WHERE m.user_id = $1 AND d.deleted_at IS NULL
         ORDER BY d.updated_at DESC, d.id
         LIMIT ${MAX_LISTED_DOCUMENTS}`,
        [userId],
      );
      const collaborators = await this.collaboratorsOf(rows.map((row) => row.id));
      return {
        documents: rows.map((row) => ({
          id: row.id,
          title: row.title,
          role: row.role,
          ownerId: row.owner_id,
          headVersion: bigintToNumber(row.head_version),
          updatedAt: row.updated_at.toISOString(),
          collaborators: collaborators.get(row.id) ?? [],
        })),
      };
    });
  }

  /**
   * One document as the caller sees it. The role, head version and last
   * edit are read fresh (the role check needs the database anyway); the
   * title and collaborators come from the metadata cache.
   */
  async get(userId: string, docId: string): Promise<DocumentSummary> {
    const role = await this.access.require(userId, docId, () => true);
    const head = await this.dataSource
      .getRepository(DocumentEntity)
      .findOne({ select: { headVersion: true, updatedAt: true }, where: { id: docId } });
    // Deleted between the access check and this read.
    if (!head) throw new AppError(ErrorCode.NOT_FOUND, 'No such document, or no access to it.');
    const meta = await this.cache.document(docId, DocumentMeta, () => this.loadMeta(docId));
    return {
      id: meta.id,
      title: meta.title,
      role,
      ownerId: meta.ownerId,
      headVersion: head.headVersion,
      updatedAt: head.updatedAt.toISOString(),
      collaborators: meta.collaborators,
    };
  }

  /** Renames a document (owner only). */
  async rename(userId: string, docId: string, title: string): Promise<DocumentSummary> {
    await this.access.require(userId, docId, canManage);
    await this.dataSource.getRepository(DocumentEntity).update({ id: docId }, { title });
    await this.cache.invalidate({ userIds: await this.memberIds(docId), docIds: [docId] });
    return this.get(userId, docId);
  }

  /**
   * Deletes a document (owner only). A soft delete: the row stays (history
   * and operations keep their foreign keys) but no one has access any more,
   * and every open editor of it is told.
   */
  async delete(userId: string, docId: string): Promise<void> {
    await this.access.require(userId, docId, canManage);
    const members = await this.memberIds(docId);
    await this.dataSource.getRepository(DocumentEntity).softDelete({ id: docId });
    await this.cache.invalidate({ userIds: members, docIds: [docId] });
    await this.notices.documentDeleted(docId);
  }

  /** Every member's user id (for invalidating their lists). */
  async memberIds(docId: string): Promise<string[]> {
    const rows = await this.dataSource
      .getRepository(DocumentMemberEntity)
      .find({ select: { userId: true }, where: { documentId: docId } });
    return rows.map((row) => row.userId);
  }

  private async loadMeta(docId: string): Promise<DocumentMeta> {
    const doc = await this.dataSource
      .getRepository(DocumentEntity)
      .findOne({ select: { id: true, title: true, ownerId: true }, where: { id: docId } });
    if (!doc) throw new AppError(ErrorCode.NOT_FOUND, 'No such document, or no access to it.');
    const collaborators = await this.collaboratorsOf([docId]);
    return {
      id: doc.id,
      title: doc.title,
      ownerId: doc.ownerId,
      collaborators: collaborators.get(docId) ?? [],
    };
  }

  /** The members of each document, owner first, then by when they joined. */
  private async collaboratorsOf(docIds: readonly string[]): Promise<Map<string, Collaborator[]>> {
    const result = new Map<string, Collaborator[]>();
    if (docIds.length === 0) return result;
    const rows: { document_id: string; user_id: string; name: string; color: string }[] =
      await this.dataSource.query(
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
}
