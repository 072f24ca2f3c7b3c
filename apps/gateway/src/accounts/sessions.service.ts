import type { TokenPair } from '@collab/contracts';
import { signAccessToken } from '../auth/access-token';
import type { GatewayConfig } from '../config/env';
import type { IssuedSession, RefreshTokens } from './refresh-tokens';

/**
 * Token pairs: a short-lived HS256 access token (what REST and the socket
 * handshake check, with no database read) and a rotating refresh token (what
 * keeps a session alive, checked against the database on every use).
 */
export class SessionsService {
  constructor(
    private readonly config: GatewayConfig,
    private readonly refreshTokens: RefreshTokens,
  ) {}

  /** A new session for a signed-up or signed-in user. */
  async start(userId: string): Promise<TokenPair> {
    return this.pair(await this.refreshTokens.issue(userId));
  }

  /** Rotates the refresh token and mints a new access token. */
  async refresh(refreshToken: string): Promise<TokenPair> {
    return this.pair(await this.refreshTokens.rotate(refreshToken));
  }

  /** Ends the session the refresh token belongs to. */
  signOut(refreshToken: string): Promise<void> {
    return this.refreshTokens.revoke(refreshToken);
  }

  private pair({ userId, sessionId, refreshToken }: IssuedSession): TokenPair {
    const ttl = this.config.ACCESS_TOKEN_TTL_SECONDS;
    return {
      accessToken: signAccessToken(this.config.JWT_SECRET, userId, ttl, {
        sessionId,
        ...(this.config.JWT_ISSUER === undefined ? {} : { issuer: this.config.JWT_ISSUER }),
        ...(this.config.JWT_AUDIENCE === undefined ? {} : { audience: this.config.JWT_AUDIENCE }),
      }),
      refreshToken,
      accessTokenExpiresIn: ttl,
    };
  }
}
