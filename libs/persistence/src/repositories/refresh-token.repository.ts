import type { EntityManager } from 'typeorm';
import { RefreshTokenEntity } from '../entities/refresh-token.entity';

/** A stored refresh token, as a rotation reads it. */
export interface RefreshTokenRecord {
  readonly id: string;
  readonly userId: string;
  /** The sign-in session the token belongs to. */
  readonly familyId: string;
  readonly expiresAt: Date;
  readonly revokedAt: Date | null;
}

/** Stores a refresh token (only its hash). */
export async function insertRefreshToken(
  manager: EntityManager,
  token: { userId: string; familyId: string; tokenHash: string; expiresAt: Date },
): Promise<void> {
  await manager.getRepository(RefreshTokenEntity).insert({ ...token, revokedAt: null, replacedBy: null });
}

/**
 * The token with this hash, locked FOR UPDATE until the caller's transaction
 * ends: two rotations racing with one token are serialized, and the second
 * sees it revoked. Call it inside a transaction.
 */
export async function lockRefreshToken(
  manager: EntityManager,
  tokenHash: string,
): Promise<RefreshTokenRecord | null> {
  const token = await manager
    .getRepository(RefreshTokenEntity)
    .createQueryBuilder('t')
    .setLock('pessimistic_write')
    .where('t.tokenHash = :hash', { hash: tokenHash })
    .getOne();
  return token
    ? {
        id: token.id,
        userId: token.userId,
        familyId: token.familyId,
        expiresAt: token.expiresAt,
        revokedAt: token.revokedAt,
      }
    : null;
}

/** Revokes a rotated token and records its successor (by the successor's hash). */
export async function markRefreshTokenReplaced(
  manager: EntityManager,
  tokenId: string,
  successorHash: string,
): Promise<void> {
  await manager.query(
    `UPDATE refresh_tokens SET revoked_at = now(), replaced_by = (SELECT id FROM refresh_tokens WHERE token_hash = $2)
     WHERE id = $1`,
    [tokenId, successorHash],
  );
}

/** Revokes every token of a family still valid (the session ends). */
export async function revokeRefreshTokenFamily(manager: EntityManager, familyId: string): Promise<void> {
  await manager.query(
    'UPDATE refresh_tokens SET revoked_at = now() WHERE family_id = $1 AND revoked_at IS NULL',
    [familyId],
  );
}

/** The family of the token with this hash (revoked or not), or null for an unknown token. */
export async function refreshTokenFamily(manager: EntityManager, tokenHash: string): Promise<string | null> {
  const found = await manager
    .getRepository(RefreshTokenEntity)
    .findOne({ select: { familyId: true }, where: { tokenHash } });
  return found?.familyId ?? null;
}
