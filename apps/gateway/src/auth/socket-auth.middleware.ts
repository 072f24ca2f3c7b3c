import { ErrorCode, parseHandshakeAuth, wireError, type WireError } from '@collab/contracts';
import passport from 'passport';
import type { Socket } from 'socket.io';
import type { Identity } from './identity';
import type { JwtStrategy } from './jwt.strategy';

type Next = (error?: Error) => void;

/** How a refused handshake travels: the client reads `err.data` in `connect_error`. */
export function handshakeError(error: WireError): Error {
  return Object.assign(new Error(error.code), { data: error });
}

/**
 * Socket.IO connection middleware: nothing reaches an event handler before
 * it has passed. The protocol version and the token come from the handshake
 * `auth` payload only (a query-string token would land in access logs); the
 * token goes through the same passport-jwt strategy an HTTP route would use.
 */
export function socketAuthMiddleware(strategy: JwtStrategy): (socket: Socket, next: Next) => void {
  return (socket, next) => {
    const auth = parseHandshakeAuth(socket.handshake.auth);
    if (!auth.ok) return next(handshakeError(auth.error));
    verifyToken(strategy, auth.value.token).then(
      (result) => {
        if ('error' in result) return next(handshakeError(result.error));
        socket.data.identity = result.identity;
        if (auth.value.previousSessionId !== undefined && auth.value.previousSessionId !== socket.id) {
          socket.data.previousSessionId = auth.value.previousSessionId;
        }
        next();
      },
      () => next(handshakeError(wireError(ErrorCode.UNAUTHENTICATED))),
    );
  };
}

/** Runs the strategy on a request that carries the token as a Bearer header. */
function verifyToken(
  strategy: JwtStrategy,
  token: string,
): Promise<{ identity: Identity } | { error: WireError }> {
  return new Promise((resolve) => {
    const request = { headers: { authorization: `Bearer ${token}` } };
    // Passport binds success/fail onto the strategy it is given, so each
    // request gets its own object inheriting from the shared strategy.
    const layer = Object.create(strategy) as JwtStrategy;
    const authenticate = passport.authenticate(
      layer,
      { session: false },
      (err: unknown, user: Identity | false, info: unknown) => {
        if (err || !user) {
          const expired = info instanceof Error && info.name === 'TokenExpiredError';
          resolve({ error: wireError(expired ? ErrorCode.TOKEN_EXPIRED : ErrorCode.UNAUTHENTICATED) });
        } else {
          resolve({ identity: user });
        }
      },
    ) as (req: unknown, res: unknown, next: (error?: unknown) => void) => void;
    authenticate(request, {}, () => resolve({ error: wireError(ErrorCode.UNAUTHENTICATED) }));
  });
}
