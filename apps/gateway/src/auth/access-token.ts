import { JwtService } from '@nestjs/jwt';

export interface AccessTokenOptions {
  readonly issuer?: string;
  readonly audience?: string;
  /** The sign-in session (refresh token family) it belongs to, as the `sid` claim: sign-out closes its sockets. */
  readonly sessionId?: string;
}

/**
 * Signs an HS256 access token whose `sub` is the user id, valid for
 * `ttlSeconds` (negative gives an already expired token, for tests). The
 * accounts issue will issue these at sign-in; until then tests mint them.
 */
export function signAccessToken(
  secret: string,
  userId: string,
  ttlSeconds: number,
  options: AccessTokenOptions = {},
): string {
  return new JwtService().sign(
    options.sessionId === undefined ? { sub: userId } : { sub: userId, sid: options.sessionId },
    {
      secret,
      algorithm: 'HS256',
      expiresIn: ttlSeconds,
      ...(options.issuer === undefined ? {} : { issuer: options.issuer }),
      ...(options.audience === undefined ? {} : { audience: options.audience }),
    },
  );
}
