import { z } from 'zod';
import { ErrorCode } from '../errors/error-codes';
import { WireError, wireError } from '../errors/wire-error';
import { MAX_TOKEN_LENGTH } from '../limits';
import { parse, type ParseResult } from '../parse';
import { PROTOCOL_VERSION } from '../protocol-version';

/**
 * The Socket.IO handshake `auth` payload: `io(url, {auth: {token,
 * protocolVersion}})`. The token never travels in the query string (it
 * would land in access logs). Unknown keys are stripped, not refused:
 * socket.io-client adds its own (`pid`, `offset`) when connection state
 * recovery is on.
 */
export const HandshakeAuth = z.object({
  /** The JWT access token. */
  token: z.string().min(1).max(MAX_TOKEN_LENGTH),
  /** The client's {@link PROTOCOL_VERSION}. */
  protocolVersion: z.int().nonnegative(),
});
/** See {@link HandshakeAuth}. */
export type HandshakeAuth = z.infer<typeof HandshakeAuth>;

/**
 * Checks a handshake `auth` payload before the token is verified:
 * `PROTOCOL_MISMATCH` (details `{expected, received}`) when the protocol
 * version is missing or differs, checked first so an outdated client is told
 * to reload; `UNAUTHENTICATED` when the token is missing or malformed.
 * Verifying the JWT (`UNAUTHENTICATED`, `TOKEN_EXPIRED`) is the gateway's job.
 */
export function parseHandshakeAuth(auth: unknown): ParseResult<HandshakeAuth> {
  let received: unknown;
  try {
    received =
      typeof auth === 'object' && auth !== null
        ? (auth as Record<string, unknown>)['protocolVersion']
        : undefined;
  } catch {
    return { ok: false, error: wireError(ErrorCode.UNAUTHENTICATED) };
  }
  if (received !== PROTOCOL_VERSION) {
    return {
      ok: false,
      error: wireError(ErrorCode.PROTOCOL_MISMATCH, undefined, {
        expected: PROTOCOL_VERSION,
        received: typeof received === 'number' ? received : null,
      }),
    };
  }
  const result = parse(HandshakeAuth, auth, ErrorCode.UNAUTHENTICATED);
  // The token's validation details are nobody's business: one plain message.
  return result.ok ? result : { ok: false, error: wireError(ErrorCode.UNAUTHENTICATED) };
}

/**
 * What a refused handshake carries. The gateway's connection middleware
 * calls `next(Object.assign(new Error(error.code), {data: error}))`; the
 * client reads `err.data` in its `connect_error` handler. On
 * `TOKEN_EXPIRED` it refreshes its token and reconnects; on
 * `PROTOCOL_MISMATCH` it reloads; on `UNAUTHENTICATED` it signs in again.
 */
export const ConnectErrorData = WireError;
/** See {@link ConnectErrorData}. */
export type ConnectErrorData = WireError;
