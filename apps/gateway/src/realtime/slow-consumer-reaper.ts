import { ServerEvent, SessionCloseReason } from '@collab/contracts';
import type { Logger } from 'pino';
import type { Server, Socket } from 'socket.io';

/** The engine.io connection under a Socket.IO socket, as far as the reaper reads it. */
interface Connection {
  readonly readyState: string;
  readonly writeBuffer?: unknown[];
  readonly transport?: { readonly name?: string; readonly socket?: { readonly bufferedAmount?: number } };
  once(event: 'upgrade' | 'close', listener: () => void): unknown;
  close(): unknown;
}

/** What a connection's transport holds for the client and has not written to the network yet. */
function connectionBacklog(conn: Connection): number {
  // WebSocket transport: bytes the ws library has queued (the kernel's send
  // buffer is already full when this grows), plus packets engine.io holds
  // while a write is in progress. Polling: packets waiting for the next poll.
  // Held packets are counted at a nominal 1 KiB each.
  const websocket = conn.transport?.socket?.bufferedAmount ?? 0;
  const held = (conn.writeBuffer?.length ?? 0) * 1024;
  return websocket + held;
}

/**
 * Disconnects clients that stop reading. Socket.IO and ws queue every
 * broadcast for a socket without limit, so one stalled client (a suspended
 * laptop, a wedged tab) would otherwise grow the gateway's memory for as long
 * as its document is busy. Every `intervalMs` the backlog of each connection
 * that may hold one is measured; above `maxBytes` the socket is told
 * SLOW_CONSUMER (if it ever reads again) and closed. Its SDK reconnects and
 * catches up from the log in pages, so nothing is lost.
 *
 * Which connections may hold a backlog, without visiting every socket every
 * interval (an idle gateway's sockets hold none): a WebSocket connection's
 * backlog only grows after engine.io flushes packets to it, and engine.io
 * reports every flush on the server (one listener for all connections). A
 * flushed connection is measured at each interval until its backlog is back
 * to zero: while a write is pending (a stalled reader) engine.io keeps the
 * next packets in `writeBuffer` without flushing again, and the pending write
 * keeps the connection measured. A polling connection's packets wait for
 * the client's next poll without a flush, so polling connections (rare: the
 * SDK uses WebSockets only) are measured until they upgrade or close.
 */
export class SlowConsumerReaper {
  private timer: ReturnType<typeof setInterval> | undefined;
  /** Connections flushed to since their backlog was last seen empty. */
  private readonly flushed = new Set<Connection>();
  /** Connections on the polling transport. */
  private readonly polling = new Set<Connection>();
  /** The namespace socket on each connection (the one to tell and close). */
  private readonly sockets = new WeakMap<Connection, Socket>();
  private readonly onFlush = (conn: Connection): void => void this.flushed.add(conn);

  constructor(
    private readonly server: Server,
    private readonly maxBytes: number,
    private readonly intervalMs: number,
    private readonly log: Logger,
  ) {}

  start(): void {
    if (this.timer) return;
    this.server.engine.on('flush', this.onFlush);
    this.timer = setInterval(() => this.sweep(), this.intervalMs);
    this.timer.unref();
  }

  stop(): void {
    this.server.engine.off('flush', this.onFlush);
    clearInterval(this.timer);
    this.timer = undefined;
  }

  /** Tells the reaper which socket a connection carries (call on connection). */
  watch(socket: Socket): void {
    const conn = socket.conn as unknown as Connection;
    this.sockets.set(conn, socket);
    if (conn.transport?.name !== 'polling') return;
    this.polling.add(conn);
    const unwatch = () => this.polling.delete(conn);
    conn.once('upgrade', unwatch);
    conn.once('close', unwatch);
  }

  /** One pass over the connections that may hold a backlog; returns how many were closed. */
  sweep(): number {
    let closed = 0;
    for (const conn of [...this.flushed, ...this.polling]) {
      const buffered = conn.readyState === 'closed' ? 0 : connectionBacklog(conn);
      if (buffered === 0) this.flushed.delete(conn);
      if (buffered <= this.maxBytes) continue;
      this.flushed.delete(conn);
      this.polling.delete(conn);
      const socket = this.sockets.get(conn);
      this.log.warn({ socketId: socket?.id, buffered }, 'closing a client that stopped reading');
      if (socket) {
        socket.emit(ServerEvent.SessionClosed, {
          reason: SessionCloseReason.SlowConsumer,
          message: 'The connection fell too far behind; reconnect and catch up.',
        });
        socket.disconnect(true);
      } else {
        conn.close();
      }
      closed++;
    }
    return closed;
  }
}
