import { ServerEvent, SessionCloseReason } from '@collab/contracts';
import type { Logger } from 'pino';
import type { Server, Socket } from 'socket.io';

/** What a connection's transport holds for the client and has not written to the network yet. */
export function bufferedBytes(socket: Socket): number {
  const conn = socket.conn as unknown as {
    writeBuffer?: unknown[];
    transport?: { socket?: { bufferedAmount?: number } };
  };
  // WebSocket transport: bytes the ws library has queued (the kernel's send
  // buffer is already full when this grows). Polling: packets waiting for the
  // next poll, counted at a nominal 1 KiB each.
  const websocket = conn.transport?.socket?.bufferedAmount ?? 0;
  const polling = (conn.writeBuffer?.length ?? 0) * 1024;
  return websocket + polling;
}

/**
 * Disconnects clients that stop reading. Socket.IO and ws queue every
 * broadcast for a socket without limit, so one stalled client (a suspended
 * laptop, a wedged tab) would otherwise grow the gateway's memory for as long
 * as its document is busy. Every `intervalMs` each socket's unsent backlog is
 * measured; above `maxBytes` the socket is told SLOW_CONSUMER (if it ever
 * reads again) and closed. Its SDK reconnects and catches up from the log in
 * pages, so nothing is lost.
 */
export class SlowConsumerReaper {
  private timer: ReturnType<typeof setInterval> | undefined;

  constructor(
    private readonly server: Server,
    private readonly maxBytes: number,
    private readonly intervalMs: number,
    private readonly log: Logger,
  ) {}

  start(): void {
    this.timer ??= setInterval(() => this.sweep(), this.intervalMs);
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }

  /** One pass over this gateway's sockets; returns how many were closed. */
  sweep(): number {
    let closed = 0;
    for (const socket of this.server.of('/').sockets.values()) {
      const buffered = bufferedBytes(socket);
      if (buffered <= this.maxBytes) continue;
      this.log.warn({ socketId: socket.id, buffered }, 'closing a client that stopped reading');
      socket.emit(ServerEvent.SessionClosed, {
        reason: SessionCloseReason.SlowConsumer,
        message: 'The connection fell too far behind; reconnect and catch up.',
      });
      socket.disconnect(true);
      closed++;
    }
    return closed;
  }
}
