import {
  CommentEvent,
  NotificationEvent,
  parse,
  SESSION_CLOSE_ACTIONS,
  SessionCloseAction,
  SessionClosed,
  ServerEvent,
  type WireError,
} from '@collab/contracts';
import { clientRetryDelay, isRetryable } from '../client-retry';
import { ConnectionStatus } from '../collab-document.types';
import { SocketIoTransport } from '../transport/socket-io-transport';
import { DisconnectCause, type Transport } from '../transport/transport';
import { TypedEmitter } from '../typed-emitter';

export interface InboxClientOptions {
  /** Gateway URL, e.g. http://localhost:3000. */
  readonly url: string;
  /** Returns a current access token (called on every (re)connect). */
  readonly token: () => string | Promise<string>;
  /** The ceiling of the first reconnect wait after a refusal that passes (see clientRetryDelay). Default 200 ms. */
  readonly retryDelayMs?: number;
  /** The connection to use instead of Socket.IO to `url` (tests run it in memory). */
  readonly transport?: Transport;
}

/** Why the inbox stopped for good: a handshake refused for a reason retrying cannot fix, or the server's `session:closed`. */
export type InboxStop = { readonly refused: WireError } | { readonly closed: SessionClosed };

export interface InboxEvents {
  /** A notification for this user, valid by the contract (others are dropped). */
  notification: [event: NotificationEvent];
  /**
   * A connection is up: the first one and each one after a reconnect. Read
   * the inbox over REST now: the events sent while it was down are not
   * replayed (they are at most once).
   */
  connected: [];
  status: [status: ConnectionStatus];
  /** No reconnect follows (sign-out, too many sockets, an unknown token): open() again to retry. */
  stopped: [why: InboxStop];
}

/**
 * This user's notifications, live, with no document open: a socket to the
 * gateway with the user's token, which the gateway joins to the user's room
 * (where it sends every `notification`) as it does every socket. It keeps
 * no list and reads nothing itself; its owner reads the list over REST on
 * each `connected` and applies the events in between (each carries the
 * unread count, so one applied twice changes nothing).
 *
 * The connection is SocketIoTransport's, as for a document: a token
 * refused as expired at the handshake is retried once with a fresh one, and
 * a server closing the socket for an expired token is reconnected with a
 * fresh one. A network loss reconnects with Socket.IO's back-off; a close
 * the server asks to reconnect after (a gateway shutting down, a slow
 * consumer, an abuse cool-down), and a handshake refused with a retryable
 * code, reconnect after the SDK's jittered back-off, which Socket.IO does
 * not do on its own. Anything else stops it and says why (`stopped`).
 */
export class InboxClient extends TypedEmitter<InboxEvents> {
  private readonly transport: Transport;
  private statusValue: ConnectionStatus = ConnectionStatus.offline;
  /** What the last `session:closed` asked for, read when its disconnect follows. */
  private closedBy: SessionClosed | undefined;
  /** Reconnects since the last connection was up (the back-off's attempt). */
  private attempts = 0;
  private timer: ReturnType<typeof setTimeout> | undefined;
  /** open() was called and neither close() nor a stop came since. */
  private active = false;

  constructor(private readonly options: InboxClientOptions) {
    super();
    this.transport = options.transport ?? new SocketIoTransport({ url: options.url, token: options.token });
    this.listen();
  }

  get status(): ConnectionStatus {
    return this.statusValue;
  }

  /** Connects; `connected` follows once the socket is up. Does nothing while already open. */
  open(): void {
    if (this.active) return;
    this.active = true;
    this.attempts = 0;
    this.setStatus(ConnectionStatus.connecting);
    this.transport.connect();
  }

  /** Closes the socket and every timer; no event follows but this status. */
  close(): void {
    this.halt();
    this.setStatus(ConnectionStatus.offline);
  }

  private listen(): void {
    const { transport } = this;
    transport.on('connect', () => {
      if (!this.active) return transport.disconnect();
      this.attempts = 0;
      this.setStatus(ConnectionStatus.connected);
      this.emit('connected');
    });
    transport.on('disconnect', (cause) => this.disconnected(cause));
    transport.on('connectError', (error) => {
      if (!this.active) return;
      // No reason given: the network or the server is away, and Socket.IO retries with back-off.
      if (!error) return this.setStatus(ConnectionStatus.reconnecting);
      if (!isRetryable(error)) return this.stop({ refused: error });
      const retryAfterMs = Number(error.details?.['retryAfterMs'] ?? 0);
      this.reconnectLater(Number.isFinite(retryAfterMs) ? retryAfterMs : 0);
    });
    transport.onServer(ServerEvent.SessionClosed, (payload) => {
      const closed = parse(SessionClosed, payload);
      this.closedBy = closed.ok ? closed.value : undefined;
    });
    transport.onServer(CommentEvent.Notification, (payload) => {
      const event = parse(NotificationEvent, payload);
      if (event.ok && this.active) this.emit('notification', event.value);
    });
  }

  private disconnected(cause: DisconnectCause): void {
    const closedBy = this.closedBy;
    this.closedBy = undefined;
    if (!this.active || cause === DisconnectCause.client) return;
    if (cause === DisconnectCause.network) return this.setStatus(ConnectionStatus.reconnecting);
    // The server closed the socket. Without a `session:closed` first, reconnect (the contract's rule).
    const action = closedBy ? SESSION_CLOSE_ACTIONS[closedBy.reason] : SessionCloseAction.Reconnect;
    switch (action) {
      case SessionCloseAction.Refresh:
        // The transport is already reconnecting, asking token() for a fresh token.
        return this.setStatus(ConnectionStatus.reconnecting);
      case SessionCloseAction.Reconnect:
        return this.reconnectLater(0);
      case SessionCloseAction.SignIn:
      case SessionCloseAction.Reload:
      case SessionCloseAction.Stop:
        return this.stop({ closed: closedBy! });
    }
  }

  private reconnectLater(atLeastMs: number): void {
    this.setStatus(ConnectionStatus.reconnecting);
    clearTimeout(this.timer);
    const waitMs = Math.max(atLeastMs, clientRetryDelay(++this.attempts, this.options.retryDelayMs));
    this.timer = setTimeout(() => {
      this.timer = undefined;
      if (this.active && !this.transport.connected) this.transport.connect();
    }, waitMs);
  }

  private stop(why: InboxStop): void {
    this.halt();
    this.setStatus(ConnectionStatus.offline);
    this.emit('stopped', why);
  }

  private halt(): void {
    this.active = false;
    clearTimeout(this.timer);
    this.timer = undefined;
    this.transport.disconnect();
  }

  private setStatus(status: ConnectionStatus): void {
    if (status === this.statusValue) return;
    this.statusValue = status;
    this.emit('status', status);
  }
}
