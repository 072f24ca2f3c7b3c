import {
  ErrorCode,
  SessionCloseReason,
  wireError,
  type ClientToServerEvents,
  type ServerToClientEvents,
  type SessionClosed,
  type WireError,
} from '@collab/contracts';

/** Why a connection ended, as a document cares about it. */
export const DisconnectCause = {
  /** This client closed it (disconnect() or close()): it stays down until connect(). */
  client: 'client',
  /**
   * The server closed the session for good: its `session:closed` asked to
   * sign in again, to reload the app, or to stay away (see
   * SESSION_CLOSE_ACTIONS). No reconnect follows until connect().
   */
  server: 'server',
  /**
   * The network or the server went away, or the server closed the session
   * asking for a reconnect (a refresh, a slow consumer, an abuse cool-down, a
   * shutdown, or no `session:closed` at all): the transport reconnects with back-off.
   */
  network: 'network',
} as const;
export type DisconnectCause = (typeof DisconnectCause)[keyof typeof DisconnectCause];

/** The request payload of a client event. */
export type RequestPayload<E extends keyof ClientToServerEvents> = Parameters<ClientToServerEvents[E]>[0];

/** The `{ ok: true, ... }` answer of a client event, without `ok`. */
export type AckValue<E extends keyof ClientToServerEvents> = Parameters<
  Parameters<ClientToServerEvents[E]>[1]
>[0] extends infer A
  ? A extends { ok: true }
    ? Omit<A, 'ok'>
    : never
  : never;

/** A request's outcome: the answer, or the refusal (TIMEOUT when none came). */
export type RequestResult<E extends keyof ClientToServerEvents> =
  { ok: true; value: AckValue<E> } | { ok: false; error: WireError };

export interface TransportEvents {
  /** A new connection is up (after each reconnect too): it knows no join yet. */
  connect: [];
  /** `closed` is the server's `session:closed` that came just before, if any. */
  disconnect: [cause: DisconnectCause, closed?: SessionClosed];
  /** A handshake was refused; `error` is the server's reason when it gave one. */
  connectError: [error: WireError | undefined];
}

/**
 * What a document needs of a connection to a gateway: requests with an
 * answer, server events, and connection changes. The SDK's logic sits on
 * this interface, so that it runs over Socket.IO (SocketIoTransport) and in
 * memory in tests alike (as tldraw's sync client does with its socket).
 */
export interface Transport {
  readonly connected: boolean;
  /** Different for every connection: an answer belongs to the connection that asked. */
  readonly connectionId: string | undefined;
  connect(): void;
  /** Drops the connection; it stays down until connect(). */
  disconnect(): void;
  /** Sends a client event and resolves with its answer, or TIMEOUT. Never rejects. */
  request<E extends keyof ClientToServerEvents>(
    event: E,
    payload: RequestPayload<E>,
  ): Promise<RequestResult<E>>;
  on<K extends keyof TransportEvents>(event: K, listener: (...args: TransportEvents[K]) => void): void;
  onServer<E extends keyof ServerToClientEvents>(event: E, listener: ServerToClientEvents[E]): void;
}

/**
 * The error code a session closed for good amounts to, so that an app tells
 * the person in the words it has for that code (sign in, reload, close tabs).
 */
const CLOSED_FOR_GOOD: { readonly [R in SessionCloseReason]?: ErrorCode } = {
  [SessionCloseReason.SignedOut]: ErrorCode.UNAUTHENTICATED,
  [SessionCloseReason.TooManySockets]: ErrorCode.TOO_MANY_SOCKETS,
  [SessionCloseReason.ProtocolMismatch]: ErrorCode.PROTOCOL_MISMATCH,
};

/** The refusal a session closed for good (DisconnectCause.server) stands for; `details.reason` keeps the server's reason. */
export function sessionClosedError(closed: SessionClosed): WireError {
  return wireError(CLOSED_FOR_GOOD[closed.reason] ?? ErrorCode.UNAVAILABLE, closed.message, {
    reason: closed.reason,
  });
}
