import {
  ErrorCode,
  parse,
  PROTOCOL_VERSION,
  SESSION_CLOSE_ACTIONS,
  ServerEvent,
  SessionCloseAction,
  SessionClosed,
  type Ack,
  type ClientToServerEvents,
  type ServerToClientEvents,
  type WireError,
} from '@collab/contracts';
import { io, type Socket } from 'socket.io-client';
import { clientRetryDelay, isRetryable } from '../client-retry';
import { TypedEmitter } from '../typed-emitter';
import {
  DisconnectCause,
  type RequestPayload,
  type RequestResult,
  type Transport,
  type TransportEvents,
} from './transport';

/** How long a request waits for its answer before it counts as TIMEOUT (retryable). */
const REQUEST_TIMEOUT_MS = 10_000;

/**
 * How long a connection must stay up for the server's next close to start
 * the back-off afresh. Shorter connections (a client reaped as a slow
 * consumer again and again, a gateway refusing it) keep growing the wait.
 */
const STEADY_CONNECTION_MS = 30_000;

/** setTimeout's longest delay. */
const MAX_TIMER_MS = 2_147_483_647;

export interface SocketIoTransportOptions {
  readonly url: string;
  /** Returns a current access token: asked on every (re)connect. */
  readonly token: () => string | Promise<string>;
  /**
   * The ceiling of the first wait before reconnecting after a server close
   * or a refused handshake (see clientRetryDelay); it doubles with each
   * reconnect until a connection stays up. Default 200 ms.
   */
  readonly retryDelayMs?: number;
  /** How long a connection must stay up to reset that back-off. Default 30 s. */
  readonly steadyAfterMs?: number;
}

/**
 * The socket session over Socket.IO: connects with the access token and the
 * protocol version in the handshake, and keeps the session alive for as long
 * as the server allows it. Socket.IO reconnects by itself only after a
 * network loss; after a server-side disconnect, or a handshake its
 * middleware refused, it stays down. So this transport reconnects itself:
 *
 * - a handshake refused for an expired token is tried once more at once,
 *   with a fresh token;
 * - a server close whose `session:closed` asks to refresh (TOKEN_EXPIRED)
 *   reconnects at once, asking `token()` again;
 * - a server close asking to reconnect (SLOW_CONSUMER, RATE_LIMITED,
 *   SERVER_SHUTDOWN), or with no `session:closed` before it (the contract's
 *   rule: reconnect), and a handshake refused with a retryable code (the
 *   abuse cool-down's RATE_LIMITED), reconnect after the SDK's jittered
 *   back-off, and never before the refusal's `retryAfterMs`. The back-off
 *   grows with each such reconnect until a connection stays up for
 *   `steadyAfterMs`, so that a client closed again and again (still too slow,
 *   still cooling down) comes back less and less often, and the clients of a
 *   gateway that went away do not all come back at the same instant;
 * - a close asking to sign in, reload or stop ends the session: the
 *   disconnect says so (DisconnectCause.server, with the server's reason),
 *   and nothing reconnects until connect().
 */
export class SocketIoTransport extends TypedEmitter<TransportEvents> implements Transport {
  private readonly socket: Socket<ServerToClientEvents, ClientToServerEvents>;
  /** The last `session:closed`, applied when the disconnect that follows it comes. */
  private closedBy: SessionClosed | undefined;
  /** Set after a handshake refused with TOKEN_EXPIRED was retried; cleared on connect. */
  private retriedExpiredToken = false;
  /** Reconnects this transport made since the last steady connection (the back-off's attempt). */
  private reconnects = 0;
  /** When the current (or last) connection came up. */
  private connectedAt = 0;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private stopped = false;
  /**
   * The id of the last connection that came up, sent with the next
   * handshake (`previousSessionId`): the gateway takes that session's caret
   * off at each join, since the server side of it may outlive its end here.
   */
  private previousSessionId: string | undefined;

  constructor(private readonly options: SocketIoTransportOptions) {
    super();
    this.socket = io(options.url, {
      transports: ['websocket'],
      autoConnect: false,
      reconnectionDelay: 200,
      reconnectionDelayMax: 3000,
      auth: (cb) => {
        const previous =
          this.previousSessionId === undefined ? {} : { previousSessionId: this.previousSessionId };
        void Promise.resolve(options.token()).then(
          (token) => cb({ token, protocolVersion: PROTOCOL_VERSION, ...previous }),
          () => cb({ token: '', protocolVersion: PROTOCOL_VERSION, ...previous }),
        );
      },
    });
    this.socket.on('connect', () => {
      this.previousSessionId = this.socket.id;
      this.retriedExpiredToken = false;
      this.connectedAt = Date.now();
      this.emit('connect');
    });
    this.socket.on(ServerEvent.SessionClosed, (payload) => {
      // A reason this client does not know is no reason: it reconnects.
      const closed = parse(SessionClosed, payload);
      this.closedBy = closed.ok ? closed.value : undefined;
    });
    this.socket.on('disconnect', (reason) => this.disconnected(reason));
    this.socket.on('connect_error', (error: Error & { data?: WireError }) => this.refused(error.data));
  }

  get connected(): boolean {
    return this.socket.connected;
  }

  get connectionId(): string | undefined {
    return this.socket.id;
  }

  connect(): void {
    this.stopped = false;
    this.cancelReconnect();
    this.socket.connect();
  }

  disconnect(): void {
    this.stopped = true;
    this.cancelReconnect();
    this.socket.disconnect();
  }

  request<E extends keyof ClientToServerEvents>(
    event: E,
    payload: RequestPayload<E>,
  ): Promise<RequestResult<E>> {
    return new Promise((resolve) => {
      const timed = this.socket.timeout(REQUEST_TIMEOUT_MS);
      const emit = timed.emit as unknown as (
        e: E,
        p: unknown,
        cb: (err: Error | null, response: Ack<object>) => void,
      ) => void;
      emit.call(timed, event, payload, (err, response) => {
        if (err)
          return resolve({ ok: false, error: { code: 'TIMEOUT', message: 'no answer from the server' } });
        if (response.ok) {
          const { ok: _ok, ...value } = response as { ok: true } & Record<string, unknown>;
          resolve({ ok: true, value: value as RequestResult<E> extends { value: infer V } ? V : never });
        } else resolve({ ok: false, error: response.error });
      });
    });
  }

  onServer<E extends keyof ServerToClientEvents>(event: E, listener: ServerToClientEvents[E]): void {
    this.socket.on(event, listener as never);
  }

  private disconnected(reason: Socket.DisconnectReason): void {
    const closed = this.closedBy;
    this.closedBy = undefined;
    if (reason === 'io client disconnect') return this.emit('disconnect', DisconnectCause.client);
    // Anything but the server's own close: Socket.IO reconnects with its back-off.
    if (reason !== 'io server disconnect') return this.emit('disconnect', DisconnectCause.network, closed);
    if (Date.now() - this.connectedAt >= (this.options.steadyAfterMs ?? STEADY_CONNECTION_MS)) {
      this.reconnects = 0;
    }
    const action = closed ? SESSION_CLOSE_ACTIONS[closed.reason] : SessionCloseAction.Reconnect;
    switch (action) {
      case SessionCloseAction.Refresh:
        // token() is asked again on this handshake; waiting would not make it fresher.
        if (!this.stopped) this.socket.connect();
        break;
      case SessionCloseAction.Reconnect:
        this.reconnectLater(0);
        break;
      case SessionCloseAction.SignIn:
      case SessionCloseAction.Reload:
      case SessionCloseAction.Stop:
        return this.emit('disconnect', DisconnectCause.server, closed);
    }
    this.emit('disconnect', DisconnectCause.network, closed);
  }

  /** A refused handshake: `error` is the server's reason (none when the network or the server is away). */
  private refused(error: WireError | undefined): void {
    if (error?.code === ErrorCode.TOKEN_EXPIRED && !this.retriedExpiredToken && !this.stopped) {
      this.retriedExpiredToken = true;
      this.socket.connect();
      return;
    }
    // Without a reason Socket.IO's own reconnection is under way. With a
    // retryable one (the abuse cool-down) nobody tries again but this transport.
    if (error && isRetryable(error) && !this.stopped) {
      const retryAfterMs = Number(error.details?.['retryAfterMs'] ?? 0);
      // setTimeout runs a longer delay at once; no cool-down is that long.
      this.reconnectLater(Number.isFinite(retryAfterMs) ? Math.min(retryAfterMs, MAX_TIMER_MS) : 0);
    }
    this.emit('connectError', error);
  }

  /** Connects again after the back-off, and no sooner than `atLeastMs`. */
  private reconnectLater(atLeastMs: number): void {
    this.cancelReconnect();
    const waitMs = Math.max(atLeastMs, clientRetryDelay(++this.reconnects, this.options.retryDelayMs));
    this.timer = setTimeout(() => {
      this.timer = undefined;
      if (!this.stopped && !this.socket.connected) this.socket.connect();
    }, waitMs);
  }

  private cancelReconnect(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
  }
}
