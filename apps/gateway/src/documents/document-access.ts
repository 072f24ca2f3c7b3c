import { turnLoader } from '@collab/cluster';
import { AppError, ErrorCode, type Role } from '@collab/contracts';
import { findUser, isMemberOfDeletedDocument, type RoleRecord, rolesOf } from '@collab/persistence';
import type { DataSource } from 'typeorm';

export interface UserProfile {
  readonly name: string;
  readonly color: string;
}

/** A UUID in the canonical form PostgreSQL answers with (ids on every edge are validated as such). */
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const pairKey = (userId: string, docId: string) => `${userId.toLowerCase()}/${docId.toLowerCase()}`;

/**
 * Reads who may do what from PostgreSQL. A role is read when a document is
 * joined, on REST actions, and for operations whenever the socket's copy is
 * older than the gateway allows (CollabGateway): a downgraded editor's
 * operations are refused within that bound even if its access notice is lost.
 */
export class DocumentAccess {
  /** The role reads of one turn of the event loop, as one query (see roleOf). */
  private readonly readRole: (pair: { userId: string; docId: string }) => Promise<Role | null>;

  constructor(private readonly dataSource: DataSource) {
    this.readRole = turnLoader(async (pairs: readonly { userId: string; docId: string }[]) => {
      // One row per distinct pair (a pair asked for twice in a turn is read once).
      const unique = [...new Map(pairs.map((p) => [pairKey(p.userId, p.docId), p])).values()];
      const rows = await this.rolesOf(unique);
      const byPair = new Map(rows.map((row) => [pairKey(row.userId, row.docId), row.role]));
      return pairs.map((p) => byPair.get(pairKey(p.userId, p.docId)) ?? null);
    });
  }

  /**
   * The user's role on the document, or null when they have none (or it does
   * not exist, or was deleted). Read fresh for every call: the reads asked
   * for in one turn of the event loop (many sockets' operations arrive
   * together) go to PostgreSQL as one query, each answered from a row read
   * after it was asked for.
   */
  roleOf(userId: string, docId: string): Promise<Role | null> {
    // Not a UUID: no such row. Kept out of the batch, whose query it would fail.
    if (!UUID.test(userId) || !UUID.test(docId)) return Promise.resolve(null);
    return this.readRole({ userId, docId });
  }

  /**
   * Why a user has no role on a document, for the refusal: a former member
   * of a deleted document is told it was deleted (DOCUMENT_DELETED: a
   * document is deleted softly and its members stay); anyone else gets
   * NOT_FOUND (they may not learn that the document exists). Read only on
   * this refusal path, never for an operation that passes.
   */
  async noRole(userId: string, docId: string): Promise<AppError> {
    const notFound = new AppError(ErrorCode.NOT_FOUND, 'No such document, or no access to it.');
    if (!UUID.test(userId) || !UUID.test(docId)) return notFound;
    return (await isMemberOfDeletedDocument(this.dataSource.manager, userId, docId))
      ? new AppError(ErrorCode.DOCUMENT_DELETED)
      : notFound;
  }

  /**
   * The user's role when `allowed` accepts it. Someone with no role gets
   * NOT_FOUND (they may not learn that the document exists); a member whose
   * role does not allow the action gets FORBIDDEN.
   */
  async require(userId: string, docId: string, allowed: (role: Role) => boolean): Promise<Role> {
    const role = await this.roleOf(userId, docId);
    if (role === null) throw await this.noRole(userId, docId);
    if (!allowed(role)) throw new AppError(ErrorCode.FORBIDDEN);
    return role;
  }

  /**
   * The current role of each (user, document) pair, in one query; null for
   * no role or a deleted document, with `deleted` telling the two apart.
   */
  rolesOf(pairs: readonly { userId: string; docId: string }[]): Promise<RoleRecord[]> {
    return rolesOf(this.dataSource.manager, pairs);
  }

  /** The name and colour drawn next to the user's caret. */
  async profileOf(userId: string): Promise<UserProfile | null> {
    const user = await findUser(this.dataSource.manager, userId);
    return user ? { name: user.name, color: user.color } : null;
  }
}
