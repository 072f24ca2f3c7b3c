import {
  AppError,
  ErrorCode,
  isClientEvent,
  type ServerError,
  ServerEvent,
  type SessionClosed,
  SessionCloseReason,
  type WireError,
  wireError,
} from '@collab/contracts';
import type { Logger } from 'pino';
import { RateLimiterMemory } from 'rate-limiter-flexible';
import type { Socket } from 'socket.io';
import type { Identity } from '../auth/identity';
import { handshakeError } from '../auth/socket-auth.middleware';
import { type GatewayMetrics, GuardCounter } from '../metrics/gateway-metrics';
import type { SocketsPerUser } from './sockets-per-user';

export interface SocketGuardLimits {
  /** Events of any kind per socket and second (in-process: a socket lives on one gateway). */
  readonly eventsPerSecond: number;
  /** Refusals a socket may collect within `abuseWindowSeconds` before it is cut off. */
  readonly abuseStrikes: number;
  readonly abuseWindowSeconds: number;
}

/** Refuses a user's handshakes for a while after one of their sockets was cut off for abuse. */
export interface AbuseCooldown {
  /** Remaining cool-down in ms, or 0 when the user may connect. */
  remainingMs(userId: string): Promise<number>;
  start(userId: string): Promise<void>;
}

/** setTimeout's longest delay; a later expiry is re-armed when it fires. */
const MAX_TIMER_MS = 2_147_483_647;

type Next = (error?: Error) => void;

/**
 * The socket edge's own limits, around the protocol handlers:
 *
 * - at the handshake, the user's socket count across gateways
 *   (TOO_MANY_SOCKETS);
 * - on every packet, before any handler: only declared events pass; an
 *   unknown one is dropped, counted and answered UNKNOWN_EVENT; a socket
 *   sending more events per second than allowed is answered RATE_LIMITED;
 * - each refusal (including the handlers' RATE_LIMITED) is a strike, and a
 *   socket that collects too many in the window is told `session:closed`
 *   (RATE_LIMITED: reconnect after a back-off) and disconnected, and its
 *   user's handshakes are refused for a cool-down, on every gateway;
 * - when the access token expires, the socket is told `session:closed`
 *   (TOKEN_EXPIRED: refresh, then reconnect) and disconnected, so a revoked
 *   session does not live on through an old socket.
 */
export class SocketGuard {
  private readonly events: RateLimiterMemory;
  private readonly strikes: RateLimiterMemory;
  private readonly expiryTimers = new Map<string, NodeJS.Timeout>();

  constructor(
    private readonly sockets: SocketsPerUser,
    private readonly cooldown: AbuseCooldown,
    private readonly metrics: GatewayMetrics,
    limits: SocketGuardLimits,
    private readonly log: Logger,
  ) {
    this.events = new RateLimiterMemory({ points: limits.eventsPerSecond, duration: 1 });
    this.strikes = new RateLimiterMemory({
      points: limits.abuseStrikes,
      duration: limits.abuseWindowSeconds,
    });
  }

  /**
   * Connection middleware, after authentication: refuses a user in an abuse
   * cool-down (RATE_LIMITED, so a reconnect loop costs one Redis read per
   * attempt), then admits the socket if the user has room for it.
   */
  admission(): (socket: Socket, next: Next) => void {
    return (socket, next) => {
      const identity = socket.data.identity as Identity;
      this.admit(identity.userId, socket.id).then(
        (refusal) => {
          if (refusal === null) return next();
          next(handshakeError(refusal));
        },
        (error: unknown) => {
          // Counting needs Redis, and so does editing: without it the socket
          // is admitted uncounted rather than refused.
          this.log.warn({ err: error }, 'socket count unavailable; admitting');
          next();
        },
      );
    };
  }

  private async admit(userId: string, socketId: string): Promise<WireError | null> {
    const cooling = await this.cooldown.remainingMs(userId);
    if (cooling > 0) {
      this.metrics.increment(GuardCounter.RateLimited);
      return wireError(ErrorCode.RATE_LIMITED, 'Too many refused requests; reconnect later.', {
        retryAfterMs: cooling,
      });
    }
    if (await this.sockets.admit(userId, socketId)) return null;
    this.metrics.increment(GuardCounter.TooManySockets);
    return wireError(ErrorCode.TOO_MANY_SOCKETS);
  }

  /** Installs the per-packet checks and the expiry timer on a connected socket. */
  attach(socket: Socket): void {
    socket.use((packet, next) => {
      const [event] = packet;
      if (!isClientEvent(event)) {
        this.metrics.increment(GuardCounter.UnknownEvents);
        this.refuse(
          socket,
          packet,
          wireError(ErrorCode.UNKNOWN_EVENT, `Unknown event ${JSON.stringify(String(event)).slice(0, 80)}.`),
        );
        return;
      }
      this.events.consume(socket.id).then(
        () => next(),
        () => {
          this.metrics.increment(GuardCounter.RateLimited);
          this.refuse(socket, packet, wireError(ErrorCode.RATE_LIMITED, 'Too many messages; slow down.'));
        },
      );
    });
    this.armExpiry(socket);
  }

  /** Forgets a disconnected socket. */
  detach(socket: Socket): void {
    const timer = this.expiryTimers.get(socket.id);
    if (timer) clearTimeout(timer);
    this.expiryTimers.delete(socket.id);
    this.sockets.release(socket.id);
    void this.events.delete(socket.id);
    void this.strikes.delete(socket.id);
  }

  /** A handler refused the socket's request with `error` (counts towards abuse when it is RATE_LIMITED). */
  noteRefusal(socket: Socket, error: unknown): void {
    if (error instanceof AppError && error.code === ErrorCode.RATE_LIMITED) {
      this.metrics.increment(GuardCounter.RateLimited);
      this.strike(socket);
    }
  }

  /** Called by Nest when the app closes. */
  onApplicationShutdown(): void {
    for (const timer of this.expiryTimers.values()) clearTimeout(timer);
    this.expiryTimers.clear();
    this.sockets.stop();
  }

  /** Answers a dropped packet through its ack if it has one, else with an `error` event; then a strike. */
  private refuse(socket: Socket, packet: unknown[], error: WireError): void {
    const ack = packet[packet.length - 1];
    if (typeof ack === 'function') (ack as (response: unknown) => void)({ ok: false, error });
    else socket.emit(ServerEvent.Error, error satisfies ServerError);
    this.strike(socket);
  }

  private strike(socket: Socket): void {
    this.strikes.consume(socket.id).catch(() => {
      if (!socket.connected) return;
      this.metrics.increment(GuardCounter.AbuseDisconnects);
      const { userId } = socket.data.identity as Identity;
      this.cooldown
        .start(userId)
        .catch((error: unknown) => this.log.warn({ err: error }, 'cool-down not stored'));
      this.close(socket, {
        reason: SessionCloseReason.RateLimited,
        message: 'Too many refused requests; reconnect later.',
      });
    });
  }

  private armExpiry(socket: Socket): void {
    const expiresAt = (socket.data.identity as Identity).expiresAt;
    if (expiresAt === undefined) return;
    const delay = Math.max(0, expiresAt - Date.now());
    const timer = setTimeout(
      () => {
        if (Date.now() < expiresAt) return this.armExpiry(socket);
        this.metrics.increment(GuardCounter.ExpiredSessions);
        this.close(socket, {
          reason: SessionCloseReason.TokenExpired,
          message: 'Your session has expired; refresh the token and reconnect.',
        });
      },
      Math.min(delay, MAX_TIMER_MS),
    );
    timer.unref();
    this.expiryTimers.set(socket.id, timer);
  }

  /** Says why, then closes: Socket.IO itself only says "io server disconnect". */
  private close(socket: Socket, closed: SessionClosed): void {
    socket.emit(ServerEvent.SessionClosed, closed);
    socket.disconnect(true);
  }
}
