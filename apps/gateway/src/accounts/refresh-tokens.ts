import { randomUUID } from 'node:crypto';
import { AppError, ErrorCode } from '@collab/contracts';
import {
  insertRefreshToken,
  lockRefreshToken,
  markRefreshTokenReplaced,
  refreshTokenFamily,
  revokeRefreshTokenFamily,
} from '@collab/persistence';
import type { DataSource, EntityManager } from 'typeorm';
import { hashSecretToken, newSecretToken } from './secret-token';

/** A session's current refresh token. */
export interface IssuedSession {
  readonly userId: string;
  /** The family: the sign-in session's id (the `sid` of its access tokens). */
  readonly sessionId: string;
  /** The token to hand to the client (after a rotation, the successor; the presented one is revoked). */
  readonly refreshToken: string;
}

/**
 * Rotating refresh tokens, stored hashed. A family is one sign-in session:
 * each refresh revokes the presented token and issues its successor in the
 * same family. A revoked token presented again means it was copied (the
 * legitimate holder already rotated it, or signed out), so the whole family
 * is revoked: the thief and the victim both have to sign in again, and the
 * stolen token is worthless from then on (RFC 9700 section 4.14.2).
 */
export class RefreshTokens {
  constructor(
    private readonly dataSource: DataSource,
    private readonly ttlSeconds: number,
    /** Told of every family revoked (sign-out, or a replayed token), after the revocation committed. */
    private readonly onSessionEnded: (sessionId: string) => Promise<void>,
  ) {}

  /** Starts a new family (a sign-up or sign-in). */
  async issue(userId: string): Promise<IssuedSession> {
    const sessionId = randomUUID();
    const refreshToken = await this.insert(this.dataSource.manager, userId, sessionId);
    return { userId, sessionId, refreshToken };
  }

  /**
   * Exchanges a refresh token for its successor. UNAUTHENTICATED for an
   * unknown, expired or revoked token; a revoked one also revokes its family.
   */
  async rotate(token: string): Promise<IssuedSession> {
    const outcome = await this.dataSource.transaction(async (manager) => {
      // FOR UPDATE: two refreshes racing with the same token are serialized,
      // and the second one sees it revoked (and treats it as reuse).
      const current = await lockRefreshToken(manager, hashSecretToken(token));
      if (!current) return { kind: 'unknown' } as const;
      if (current.revokedAt !== null) {
        await revokeRefreshTokenFamily(manager, current.familyId);
        return { kind: 'reused', sessionId: current.familyId } as const;
      }
      if (current.expiresAt.getTime() <= Date.now()) return { kind: 'expired' } as const;
      const successor = await this.insert(manager, current.userId, current.familyId);
      await markRefreshTokenReplaced(manager, current.id, hashSecretToken(successor));
      return {
        kind: 'rotated',
        userId: current.userId,
        sessionId: current.familyId,
        refreshToken: successor,
      } as const;
    });
    // The family revocation above is committed before the refusal is thrown.
    if (outcome.kind === 'reused') await this.onSessionEnded(outcome.sessionId);
    if (outcome.kind !== 'rotated') throw new AppError(ErrorCode.UNAUTHENTICATED, 'Sign in again.');
    return { userId: outcome.userId, sessionId: outcome.sessionId, refreshToken: outcome.refreshToken };
  }

  /**
   * Sign-out: revokes the token's whole family (the session). Signing out
   * twice is fine; an unknown token is UNAUTHENTICATED.
   */
  async revoke(token: string): Promise<void> {
    const familyId = await refreshTokenFamily(this.dataSource.manager, hashSecretToken(token));
    if (familyId === null) throw new AppError(ErrorCode.UNAUTHENTICATED, 'Unknown session.');
    await revokeRefreshTokenFamily(this.dataSource.manager, familyId);
    await this.onSessionEnded(familyId);
  }

  private async insert(manager: EntityManager, userId: string, familyId: string): Promise<string> {
    const { token, hash } = newSecretToken();
    await insertRefreshToken(manager, {
      userId,
      familyId,
      tokenHash: hash,
      expiresAt: new Date(Date.now() + this.ttlSeconds * 1000),
    });
    return token;
  }
}
