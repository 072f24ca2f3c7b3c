import {
  ErrorCode,
  PROTOCOL_VERSION,
  SESSION_CLOSE_ACTIONS,
  ServerEvent,
  SessionCloseAction,
  type Ack,
  type ClientToServerEvents,
  type ServerToClientEvents,
  type WireError,
} from '@collab/contracts';
import { io, type Socket } from 'socket.io-client';
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

export interface SocketIoTransportOptions {
  readonly url: string;
  /** Returns a current access token: asked on every (re)connect. */
  readonly token: () => string | Promise<string>;
}

/**
 * The socket session over Socket.IO: connects with the access token and the
 * protocol version in the handshake, reconnects with back-off after a
 * network loss, and keeps a session alive across token expiry. A handshake
 * refused for an expired token is tried once more with a fresh token; a
 * server that closes the session because the token expired says so first
 * (`session:closed`), and the session reconnects, asking `token()` again.
 * Other reasons (sign-out, abuse cool-down) are left to the app: Socket.IO
 * does not reconnect after a server-side disconnect on its own.
 */
export class SocketIoTransport extends TypedEmitter<TransportEvents> implements Transport {
  private readonly socket: Socket<ServerToClientEvents, ClientToServerEvents>;
  /** What the last `session:closed` asked for, applied when the disconnect follows. */
  private closeAction: SessionCloseAction | undefined;
  /** Set after a handshake refused with TOKEN_EXPIRED was retried; cleared on connect. */
  private retriedExpiredToken = false;
  private stopped = false;

  constructor(options: SocketIoTransportOptions) {
    super();
    this.socket = io(options.url, {
      transports: ['websocket'],
      autoConnect: false,
      reconnectionDelay: 200,
      reconnectionDelayMax: 3000,
      auth: (cb) => {
        void Promise.resolve(options.token()).then(
          (token) => cb({ token, protocolVersion: PROTOCOL_VERSION }),
          () => cb({ token: '', protocolVersion: PROTOCOL_VERSION }),
        );
      },
    });
    this.socket.on('connect', () => {
      this.retriedExpiredToken = false;
      this.emit('connect');
    });
    this.socket.on(
      ServerEvent.SessionClosed,
      (closed) => (this.closeAction = SESSION_CLOSE_ACTIONS[closed.reason]),
    );
    this.socket.on('disconnect', (reason) => {
      const action = this.closeAction;
      this.closeAction = undefined;
      if (!this.stopped && reason === 'io server disconnect' && action === SessionCloseAction.Refresh) {
        this.socket.connect();
      }
      this.emit(
        'disconnect',
        reason === 'io client disconnect'
          ? DisconnectCause.client
          : reason === 'io server disconnect'
            ? DisconnectCause.server
            : DisconnectCause.network,
      );
    });
    this.socket.on('connect_error', (error: Error & { data?: WireError }) => {
      if (error.data?.code === ErrorCode.TOKEN_EXPIRED && !this.retriedExpiredToken && !this.stopped) {
        this.retriedExpiredToken = true;
        this.socket.connect();
        return;
      }
      this.emit('connectError', error.data);
    });
  }

  get connected(): boolean {
    return this.socket.connected;
  }

  get connectionId(): string | undefined {
    return this.socket.id;
  }

  connect(): void {
    this.stopped = false;
    this.socket.connect();
  }

  disconnect(): void {
    this.stopped = true;
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
}
