import { AppError, ErrorCode, type RedisKeys } from '@collab/contracts';
import type { Redis } from 'ioredis';
import { MemoryTokenBucket, RedisTokenBucket, type TakeResult } from './token-bucket';

export interface OpRates {
  readonly perSocket: number;
  readonly perUser: number;
  /** Operations of one socket being processed at once (the protocol needs one per client). */
  readonly inFlightPerSocket: number;
}

/**
 * Operations per second per socket and per user, as token buckets (the
 * sustained rate, with a burst of one second's worth).
 *
 * The per-user bucket lives in Redis, so it holds however a user's sockets
 * spread over gateways; if Redis does not answer, an in-process bucket with
 * the same rate takes over, so a Redis hiccup neither blocks editing nor
 * lifts the limit. The per-socket count lives in
 * this process: a socket is served by exactly one gateway, and keeping it
 * out of Redis means a flooding socket is refused without a network round
 * trip, which is what keeps the other users' latency flat during a flood.
 * It is checked first, so a flooding socket does not spend its user's budget.
 *
 * A rate alone lets a socket start its whole second's budget at once, and
 * each operation holds a database connection for its role check: a burst
 * from one socket would queue every other user's operations behind it in
 * the pool. So each socket also has a small cap on operations in flight
 * (a well-behaved client has one).
 */
export class OpRateLimiter {
  private readonly bySocket: MemoryTokenBucket;
  private readonly byUser: RedisTokenBucket;
  private readonly byUserWithoutRedis: MemoryTokenBucket;
  private readonly inFlight = new Map<string, number>();

  constructor(
    redis: Redis,
    keys: RedisKeys,
    private readonly rates: OpRates,
  ) {
    this.bySocket = new MemoryTokenBucket({ perSecond: rates.perSocket, burst: rates.perSocket });
    const perUser = { perSecond: rates.perUser, burst: rates.perUser };
    this.byUser = new RedisTokenBucket(redis, keys.rateLimitPrefix('ops-user'), perUser);
    this.byUserWithoutRedis = new MemoryTokenBucket(perUser);
  }

  /** Counts one operation of the socket; RATE_LIMITED (details `{retryAfterMs}`) when its limit is spent. */
  consumeSocket(socketId: string): void {
    refuseUnless(this.bySocket.take(socketId));
  }

  /** Counts one operation of the user; RATE_LIMITED (details `{retryAfterMs}`) when their limit is spent. */
  async consumeUser(userId: string): Promise<void> {
    let result: TakeResult;
    try {
      result = await this.byUser.take(userId);
    } catch {
      // Redis did not answer: the same limit, counted in this process.
      if (this.fallbacks++ % 1000 === 0) this.byUserWithoutRedis.sweep();
      result = this.byUserWithoutRedis.take(userId);
    }
    refuseUnless(result);
  }

  private fallbacks = 0;

  /**
   * Marks one of the socket's operations as in flight and returns its
   * release; RATE_LIMITED when the socket already has its maximum in flight.
   */
  enter(socketId: string): () => void {
    const current = this.inFlight.get(socketId) ?? 0;
    if (current >= this.rates.inFlightPerSocket) {
      throw new AppError(ErrorCode.RATE_LIMITED, 'Too many operations in flight; wait for their answers.', {
        details: { retryAfterMs: 50 },
      });
    }
    this.inFlight.set(socketId, current + 1);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const left = (this.inFlight.get(socketId) ?? 1) - 1;
      if (left > 0) this.inFlight.set(socketId, left);
      else this.inFlight.delete(socketId);
    };
  }

  /** Forgets a disconnected socket's count. */
  forgetSocket(socketId: string): void {
    this.bySocket.forget(socketId);
  }
}

function refuseUnless(result: TakeResult): void {
  if (result.allowed) return;
  throw new AppError(ErrorCode.RATE_LIMITED, 'Too many operations; slow down.', {
    details: { retryAfterMs: result.retryAfterMs },
  });
}
