import {
  ErrorCode,
  SESSION_CLOSE_ACTIONS,
  SessionCloseAction,
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

/** The close actions after which nothing reconnects: only the person can get past them. */
const ACTIONS_FOR_GOOD: ReadonlySet<SessionCloseAction> = new Set([
  SessionCloseAction.SignIn,
  SessionCloseAction.Reload,
  SessionCloseAction.Stop,
]);

/**
 * The refusal a session closed for good (DisconnectCause.server) stands for;
 * `details.reason` keeps the server's reason, and {@link endedForGood} is
 * true of it (of a close that asks for a reconnect, it is not).
 */
export function sessionClosedError(closed: SessionClosed): WireError {
  const error = wireError(CLOSED_FOR_GOOD[closed.reason] ?? ErrorCode.UNAVAILABLE, closed.message, {
    reason: closed.reason,
  });
  return ACTIONS_FOR_GOOD.has(SESSION_CLOSE_ACTIONS[closed.reason]) ? forGood(error) : error;
}

/** Where a reported refusal says that it ended the connection for good (read by endedForGood). */
const FOR_GOOD = 'forGood';

/**
 * `error` as the SDK reports it when it ended the document's connection for
 * good: a session the server closed asking to sign in, reload or stop
 * (sessionClosedError), or a handshake no reconnect can get past
 * (JoinAttempts). The document is then offline, the transport is stopped,
 * and nothing connects again but reconnect().
 */
export function forGood(error: WireError): WireError {
  return { ...error, details: { ...error.details, [FOR_GOOD]: true } };
}

/**
 * Whether the SDK ended the connection for good with `error` (see
 * {@link forGood}): no reconnect follows, and one would only be refused
 * again, until the person acts (signs in, closes tabs, reloads the app,
 * opens it from an allowed address). The SDK is the one place that decides
 * this; an app reads it here rather than classifying codes itself, because
 * the same code (TOO_MANY_SOCKETS, UNAUTHENTICATED) may be final from a
 * close and passing from a handshake.
 */
export function endedForGood(error: Pick<WireError, 'details'> | null | undefined): boolean {
  return error?.details?.[FOR_GOOD] === true;
}
