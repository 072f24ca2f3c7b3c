import {
  type Ack as AckPayload,
  AppError,
  type ClientEvent,
  ErrorCode,
  MAX_MESSAGE_BYTES,
  utf8ByteLength,
} from '@collab/contracts';
import { reportError } from '@collab/observability';
import type { Logger } from 'pino';
import type { Socket } from 'socket.io';
import type { SocketGuard } from '../limits/socket-guard';
import type { SocketEventObserver } from '../metrics/socket-event-observer';

/** The engine.io connection under a socket, with the size of the last message frame it received. */
interface MeasuredConnection {
  /** UTF-16 units of the frame (exact bytes near the limit): decides MESSAGE_TOO_LARGE in answer(). */
  lastMessageLength?: number;
}

/**
 * Records the size of each message frame on its connection, for
 * {@link SocketAcks.answer}: the raw frame arrives just before Socket.IO
 * decodes it and calls the handler (synchronously). One function for every
 * connection (`this` is the connection), not a closure per socket:
 * `socket.conn.on('packet', recordMessageLength)`.
 */
export function recordMessageLength(
  this: MeasuredConnection,
  packet: { type: string; data?: unknown },
): void {
  if (packet.type === 'message') this.lastMessageLength = messageLength(packet.data);
}

type AckFn = (response: AckPayload<object>) => void;

/**
 * The socket transport's one mapping of a handler's outcome onto its ack:
 * `{ok: true, ...result}`, or `{ok: false, error}` with the error classified
 * once (reportError: UNAVAILABLE for a lost PostgreSQL or Redis, INTERNAL for
 * a bug, each cause logged once and its reference sent), counted and noted
 * against the socket's abuse strikes.
 */
export class SocketAcks {
  constructor(
    private readonly observer: SocketEventObserver,
    private readonly guard: SocketGuard,
    private readonly log: Logger,
  ) {}

  /** Runs a handler and maps its outcome onto the ack, once; never rejects. */
  async answer<T extends object>(
    ack: unknown,
    socket: Socket,
    traced: ClientEvent | { event: ClientEvent; correlationId: string },
    handler: () => Promise<T>,
  ): Promise<void> {
    if (typeof ack !== 'function') return;
    const reply = ack as AckFn;
    const { event, correlationId } =
      typeof traced === 'string' ? { event: traced, correlationId: undefined } : traced;
    const observation = this.observer.begin(event, correlationId);
    try {
      if (((socket.conn as unknown as MeasuredConnection).lastMessageLength ?? 0) > MAX_MESSAGE_BYTES) {
        throw new AppError(ErrorCode.MESSAGE_TOO_LARGE, undefined, {
          details: { maxBytes: MAX_MESSAGE_BYTES },
        });
      }
      reply({ ok: true, ...(await handler()) });
      observation.answered();
    } catch (caught) {
      // PostgreSQL or Redis unreachable (a restart) is UNAVAILABLE, retryable, so
      // clients resend once it is back instead of giving up on their edit; a
      // bug is INTERNAL. Either is logged once, its reference sent along.
      const error = reportError(this.log, caught, { event, socket: socket.id, correlationId });
      observation.refused(error);
      this.guard.noteRefusal(socket, error);
      try {
        reply({ ok: false, error: error.toWire() });
      } catch (ackError) {
        this.log.warn({ err: ackError }, 'could not send an ack');
      }
    }
  }
}

/** The size of a message frame in bytes (exact only when it could matter). */
function messageLength(data: unknown): number {
  if (typeof data !== 'string') return data instanceof Buffer ? data.length : 0;
  // Each UTF-16 unit is 1 to 3 UTF-8 bytes: count exactly only near the limit.
  return data.length * 3 > MAX_MESSAGE_BYTES ? utf8ByteLength(data) : data.length;
}
