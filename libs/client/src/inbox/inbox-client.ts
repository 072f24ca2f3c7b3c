import {
  CommentEvent,
  NotificationEvent,
  parse,
  type SessionClosed,
  type WireError,
} from '@collab/contracts';
import { isRetryable } from '../client-retry';
import { ConnectionStatus } from '../collab-document.types';
import { SocketIoTransport } from '../transport/socket-io-transport';
import { DisconnectCause, type Transport } from '../transport/transport';
import { TypedEmitter } from '../typed-emitter';

export interface InboxClientOptions {
  /** Gateway URL, e.g. http://localhost:3000. */
  readonly url: string;
  /** Returns a current access token (called on every (re)connect). */
  readonly token: () => string | Promise<string>;
  /** The ceiling of the first reconnect wait after a server close or a refusal that passes (see SocketIoTransportOptions). Default 200 ms. */
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
 * The connection is SocketIoTransport's, as for a document, and so is every
 * reconnect: after a network loss, an expired token, a close the server asks
 * to reconnect after (a gateway shutting down, a slow consumer, an abuse
 * cool-down) and a handshake refused with a retryable code. Anything else
 * stops it and says why (`stopped`).
 */
export class InboxClient extends TypedEmitter<InboxEvents> {
  private readonly transport: Transport;
  private statusValue: ConnectionStatus = ConnectionStatus.offline;
  /** open() was called and neither close() nor a stop came since. */
  private active = false;

  constructor(options: InboxClientOptions) {
    super();
    this.transport = options.transport ?? new SocketIoTransport(options);
    this.listen();
  }

  get status(): ConnectionStatus {
    return this.statusValue;
  }

  /** Connects; `connected` follows once the socket is up. Does nothing while already open. */
  open(): void {
    if (this.active) return;
    this.active = true;
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
      this.setStatus(ConnectionStatus.connected);
      this.emit('connected');
    });
    transport.on('disconnect', (cause, closedBy) => {
      if (!this.active || cause === DisconnectCause.client) return;
      // Closed for good: the transport does not reconnect.
      if (cause === DisconnectCause.server && closedBy) return this.stop({ closed: closedBy });
      this.setStatus(ConnectionStatus.reconnecting);
    });
    transport.on('connectError', (error) => {
      if (!this.active) return;
      // No reason given, or one that passes: the transport tries again.
      if (!error || isRetryable(error)) return this.setStatus(ConnectionStatus.reconnecting);
      this.stop({ refused: error });
    });
    transport.onServer(CommentEvent.Notification, (payload) => {
      const event = parse(NotificationEvent, payload);
      if (event.ok && this.active) this.emit('notification', event.value);
    });
  }

  private stop(why: InboxStop): void {
    this.halt();
    this.setStatus(ConnectionStatus.offline);
    this.emit('stopped', why);
  }

  private halt(): void {
    this.active = false;
    this.transport.disconnect();
  }

  private setStatus(status: ConnectionStatus): void {
    if (status === this.statusValue) return;
    this.statusValue = status;
    this.emit('status', status);
  }
}
