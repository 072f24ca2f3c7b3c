import { AppError, ErrorCode, type Role } from '@collab/contracts';
import { UserEntity } from '@collab/persistence';
import type { DataSource } from 'typeorm';

export interface UserProfile {
  readonly name: string;
  readonly color: string;
}

/**
 * Reads who may do what from PostgreSQL. Roles are read on every join and
 * every operation (never cached): a downgraded editor's next operation is
 * refused at once.
 */
export class DocumentAccess {
  constructor(private readonly dataSource: DataSource) {}

  /** The user's role on the document, or null when they have none (or it does not exist, or was deleted). */
  async roleOf(userId: string, docId: string): Promise<Role | null> {
    const rows: { role: Role }[] = await this.dataSource.query(
      `SELECT m.role FROM document_members m JOIN documents d ON d.id = m.document_id
       WHERE m.document_id = $1 AND m.user_id = $2 AND d.deleted_at IS NULL`,
      [docId, userId],
    );
    return rows[0]?.role ?? null;
  }

  /**
   * The user's role when `allowed` accepts it. Someone with no role gets
   * NOT_FOUND (they may not learn that the document exists); a member whose
   * role does not allow the action gets FORBIDDEN.
   */
  async require(userId: string, docId: string, allowed: (role: Role) => boolean): Promise<Role> {
    const role = await this.roleOf(userId, docId);
    if (role === null) throw new AppError(ErrorCode.NOT_FOUND, 'No such document, or no access to it.');
    if (!allowed(role)) throw new AppError(ErrorCode.FORBIDDEN);
    return role;
  }

  /**
   * The current role of each (user, document) pair, in one query; null for
   * no role or a deleted document, with `deleted` telling the two apart.
   */
  async rolesOf(
    pairs: readonly { userId: string; docId: string }[],
  ): Promise<{ userId: string; docId: string; role: Role | null; deleted: boolean }[]> {
    if (pairs.length === 0) return [];
    const rows: { user_id: string; document_id: string; role: Role | null; deleted: boolean }[] =
      await this.dataSource.query(
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

  /** The name and colour drawn next to the user's caret. */
  async profileOf(userId: string): Promise<UserProfile | null> {
    const user = await this.dataSource
      .getRepository(UserEntity)
      .findOne({ select: { name: true, color: true }, where: { id: userId } });
    return user ? { name: user.name, color: user.color } : null;
  }
}
