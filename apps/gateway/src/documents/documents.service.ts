import { AppError, canManage, DocumentList, type DocumentSummary, ErrorCode } from '@collab/contracts';
import {
  collaboratorsOf,
  documentHead,
  documentHeads,
  documentMeta,
  documentsOfMember,
  insertDocument,
  memberIds,
  renameDocument,
  softDeleteDocument,
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

  /** A new document owned by `userId`: empty, or written by `initial` (versions 1..n, by `userId`). */
  async create(userId: string, title: string, initial?: InitialOperations): Promise<DocumentSummary> {
    const first = initial
      ? initial.deltas.map((delta, i) => ({
          version: i + 1,
          delta,
          userId,
          clientId: initial.clientId,
          seq: i + 1,
          submissionHash: `${initial.submissionHash}|${i + 1}`,
        }))
      : [];
    const docId = await insertDocument(this.dataSource.manager, userId, title, first).catch(
      (error: unknown) => {
        // A valid token of an account deleted since it was issued.
        if (isForeignKeyViolation(error, 'fk_documents_owner_id')) {
          throw new AppError(ErrorCode.UNAUTHENTICATED, 'This account no longer exists.');
        }
        throw error;
      },
    );
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
    const fresh = await documentHeads(this.dataSource.manager, ids);
    const byId = new Map(fresh.map((head) => [head.id, head]));
    const documents = cached.documents
      .filter((d) => byId.has(d.id))
      .map((d) => {
        const head = byId.get(d.id)!;
        return { ...d, headVersion: head.headVersion, updatedAt: head.updatedAt.toISOString() };
      })
      .sort((a, b) => b.updatedAt.localeCompare(a.updatedAt) || a.id.localeCompare(b.id));
    return { documents };
  }

  private cachedList(userId: string): Promise<DocumentList> {
    return this.cache.list(userId, DocumentList, async () => {
      const listed = await documentsOfMember(this.dataSource.manager, userId, MAX_LISTED_DOCUMENTS);
      const collaborators = await collaboratorsOf(
        this.dataSource.manager,
        listed.map((doc) => doc.id),
      );
      return {
        documents: listed.map((doc) => ({
          id: doc.id,
          title: doc.title,
          role: doc.role,
          ownerId: doc.ownerId,
          headVersion: doc.headVersion,
          updatedAt: doc.updatedAt.toISOString(),
          collaborators: collaborators.get(doc.id) ?? [],
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
    const head = await documentHead(this.dataSource.manager, docId);
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
    await renameDocument(this.dataSource.manager, docId, title);
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
    await softDeleteDocument(this.dataSource.manager, docId);
    await this.cache.invalidate({ userIds: members, docIds: [docId] });
    await this.notices.documentDeleted(docId);
  }

  /** Every member's user id (for invalidating their lists). */
  memberIds(docId: string): Promise<string[]> {
    return memberIds(this.dataSource.manager, docId);
  }

  private async loadMeta(docId: string): Promise<DocumentMeta> {
    const doc = await documentMeta(this.dataSource.manager, docId);
    if (!doc) throw new AppError(ErrorCode.NOT_FOUND, 'No such document, or no access to it.');
    const collaborators = await collaboratorsOf(this.dataSource.manager, [docId]);
    return {
      id: doc.id,
      title: doc.title,
      ownerId: doc.ownerId,
      collaborators: collaborators.get(docId) ?? [],
    };
  }
}
