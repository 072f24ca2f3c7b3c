import { z } from 'zod';
import { ErrorCode } from '../errors/error-codes';
import { WireError, wireError } from '../errors/wire-error';
import { SessionId } from '../common/ids';
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
  /**
   * The session (socket id) this client had before this connection, on a
   * reconnect. A connection can end on the client's side only (a network
   * switch leaves the server a half-open socket until its ping times out),
   * so at each join the gateway takes this session's caret off the
   * document, if it is the same user's: nobody sees a ghost of the person
   * who just came back. Optional: a first connection has none.
   */
  previousSessionId: SessionId.optional(),
});
/** See {@link HandshakeAuth}. */
export type HandshakeAuth = z.infer<typeof HandshakeAuth>;

/** The part of {@link HandshakeAuth} whose refusal is UNAUTHENTICATED (the rest is checked once it passed). */
const TokenOnly = HandshakeAuth.pick({ token: true, protocolVersion: true });

/**
 * Checks a handshake `auth` payload before the token is verified:
 * `PROTOCOL_MISMATCH` (details `{expected, received}`) when the protocol
 * version is missing or differs, checked first so an outdated client is told
 * to reload; `UNAUTHENTICATED` when the token is missing or malformed;
 * `BAD_REQUEST` when only `previousSessionId` is malformed.
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
  if (result.ok) return result;
  // The token's validation details are nobody's business: one plain message.
  if (!TokenOnly.safeParse(auth).success) return { ok: false, error: wireError(ErrorCode.UNAUTHENTICATED) };
  return {
    ok: false,
    error: wireError(ErrorCode.BAD_REQUEST, 'previousSessionId must be a session id (1 to 128 characters).'),
  };
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
