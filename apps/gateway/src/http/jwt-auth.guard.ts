import { AppError, ErrorCode } from '@collab/contracts';
import { Injectable } from '@nestjs/common';
import { AuthGuard } from '@nestjs/passport';
import type { Identity } from '../auth/identity';

/**
 * Requires a valid access token (`Authorization: Bearer ...`, verified by
 * the same passport-jwt strategy as the socket handshake). An expired token
 * answers TOKEN_EXPIRED, so the client knows to refresh rather than sign in.
 */
@Injectable()
export class JwtAuthGuard extends AuthGuard('jwt') {
  override handleRequest<T = Identity>(err: unknown, user: T | false, info: unknown): T {
    if (err || !user) {
      const expired = info instanceof Error && info.name === 'TokenExpiredError';
      throw new AppError(expired ? ErrorCode.TOKEN_EXPIRED : ErrorCode.UNAUTHENTICATED);
    }
    return user;
  }
}
