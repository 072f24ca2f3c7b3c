import { AppError, ErrorCode, type RedisKeys } from '@collab/contracts';
import type { Redis } from 'ioredis';
import { BucketLevels } from './bucket-levels';
import type { SocketCountWatch } from './sockets-per-user';
import { MemoryTokenBucket, RedisTokenBucket, type TakeResult } from './token-bucket';

export interface OpRates {
  readonly perSocket: number;
  readonly perUser: number;
  /** Operations of one socket being processed at once (the protocol needs one per client). */
  readonly inFlightPerSocket: number;
  /** Most open sockets per user across gateways (MAX_SOCKETS_PER_USER). */
  readonly maxSocketsPerUser: number;
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
 * The per-user bucket cannot bind while the user has at most `soloSockets`
 * = floor(perUser / perSocket) sockets: each is held to perSocket (rate and
 * burst) here, so together they stay within perUser. For such a user the
 * Redis round trip is skipped. What this gateway knows of a user's sockets
 * across gateways: the count its own admission saw (SocketsPerUser), the
 * count each Redis take reads with the bucket, and a message from any
 * gateway whose admission takes the user past `soloSockets` (published by the
 * admission script itself, so no admission can pass unannounced). A user
 * whose count is unknown, or who was announced since, goes through Redis.
 * The messages are pub/sub (at most once), so while the subscriber is not
 * connected every user goes through Redis, and a reconnect forgets every
 * count. What remains is the message's transit (milliseconds): a user who
 * opens more sockets elsewhere may, for that long, spend up to perUser
 * more than the limit.
 *
 * Far from the limit, an operation does not wait for its per-user take
 * either: while what this gateway knows of the bucket (BucketLevels: its
 * level at the last answer, less the takes sent since) stays above half the
 * burst, the operation goes on and its take follows, owed (debited even
 * past empty, down to minus the burst, and repaid by the refill). The Redis
 * round trip then leaves a light typist's path, and the sustained rate
 * stays exact. What owing lets through beyond the bucket is bounded: on
 * one gateway, never more than the bucket holds (its own takes are all in
 * the estimate); with the user's sockets on G gateways, each can let at
 * most half a burst through on a level another gateway has since spent,
 * before an answer corrects it. So over any span t a user passes at most
 * perUser x t + burst x (1 + G / 2), where before it was perUser x t +
 * burst; owed takes are counted down to minus one burst, so the refill
 * takes the excess back. Near the limit every take is waited for and
 * refuses as before.
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
  private readonly levels: BucketLevels;
  private readonly inFlight = new Map<string, number>();
  readonly soloSockets: number;
  /** Users known to have at most `soloSockets` sockets, with that count. */
  private readonly solo = new Map<string, number>();
  /** Moves on every announcement and reconnect: a count read before it may be stale. */
  private epoch = 0;
  private listening = false;
  private readonly subscriber: Redis | undefined;
  private readonly crowdedChannel: string;

  constructor(
    redis: Redis,
    private readonly keys: RedisKeys,
    private readonly rates: OpRates,
  ) {
    this.bySocket = new MemoryTokenBucket({ perSecond: rates.perSocket, burst: rates.perSocket });
    const perUser = { perSecond: rates.perUser, burst: rates.perUser };
    this.byUser = new RedisTokenBucket(redis, keys.rateLimitPrefix('ops-user'), perUser);
    this.byUserWithoutRedis = new MemoryTokenBucket(perUser);
    this.levels = new BucketLevels(rates.perUser / 2);
    this.soloSockets = Math.floor(rates.perUser / rates.perSocket);
    this.crowdedChannel = keys.rateLimit('ops-user', 'crowded');
    // Every user is solo when no user may open more sockets than that: nothing to listen for.
    if (this.soloSockets === 0 || rates.maxSocketsPerUser <= this.soloSockets) return;
    const subscriber = redis.duplicate({ connectionName: 'gateway-crowds', enableAutoPipelining: false });
    this.subscriber = subscriber;
    subscriber.on('error', () => undefined); // the editing path's connection logs Redis trouble
    subscriber.on('message', (_channel: string, userId: string) => this.crowded(userId));
    subscriber.on('close', () => this.forgetAll(false));
    // 'ready' comes before ioredis re-subscribes: solo again only once the subscription is confirmed.
    subscriber.on('ready', () => {
      this.forgetAll(false);
      subscriber.subscribe(this.crowdedChannel).then(
        () => this.forgetAll(true),
        () => undefined,
      );
    });
  }

  /** What SocketsPerUser tells this limiter about users' socket counts. */
  socketCountWatch(): SocketCountWatch {
    return {
      threshold: this.soloSockets,
      channel: this.crowdedChannel,
      admitted: (userId, count) => this.learn(userId, count, this.epoch),
      left: (userId) => {
        this.solo.delete(userId);
        this.levels.forget(userId);
      },
    };
  }

  /** Whether the user's operations skip the Redis bucket (it cannot bind for them). */
  isSolo(userId: string): boolean {
    if (this.soloSockets === 0) return false;
    if (this.rates.maxSocketsPerUser <= this.soloSockets) return true;
    return this.listening && this.solo.has(userId);
  }

  /** Counts one operation of the socket; RATE_LIMITED (details `{retryAfterMs}`) when its limit is spent. */
  consumeSocket(socketId: string): void {
    refuseUnless(this.bySocket.take(socketId));
  }

  /**
   * Counts one operation of the user; RATE_LIMITED (details `{retryAfterMs}`)
   * when their limit is spent. Resolves at once, the take owed behind it,
   * while the user is far from the limit (see the class comment).
   */
  async consumeUser(userId: string): Promise<void> {
    if (this.isSolo(userId)) return;
    if (this.levels.mayOwe(userId)) {
      void this.takeUser(userId, true);
      return;
    }
    refuseUnless(await this.takeUser(userId, false));
  }

  /** One take of the user's shared bucket (owed: always allowed, see TAKE), or of the stand-in without Redis. */
  private async takeUser(userId: string, owed: boolean): Promise<TakeResult> {
    this.levels.sent(userId);
    try {
      const epoch = this.epoch;
      const owe = owed ? this.rates.perUser : 0;
      const taken = await this.byUser.takeCounting(userId, this.keys.userSockets(userId), owe);
      this.levels.answered(userId, taken.level);
      this.learn(userId, taken.members, epoch);
      return taken.result;
    } catch {
      // Redis did not answer: the same limit, counted in this process (an owed take is counted, not refused).
      this.levels.answered(userId, null);
      if (this.fallbacks++ % 1000 === 0) this.byUserWithoutRedis.sweep();
      const result = this.byUserWithoutRedis.take(userId);
      return owed ? { allowed: true } : result;
    }
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

  /** Called by Nest when the app closes. */
  onApplicationShutdown(): void {
    this.subscriber?.disconnect();
  }

  /** `count` sockets, read when the epoch was `epoch`: trusted only if nothing was announced since. */
  private learn(userId: string, count: number, epoch: number): void {
    if (epoch !== this.epoch) return;
    if (count >= 0 && count <= this.soloSockets) this.solo.set(userId, count);
    else this.solo.delete(userId);
  }

  private crowded(userId: string): void {
    this.epoch++;
    this.solo.delete(userId);
  }

  private forgetAll(listening: boolean): void {
    this.epoch++;
    this.solo.clear();
    this.listening = listening;
  }
}

function refuseUnless(result: TakeResult): void {
  if (result.allowed) return;
  throw new AppError(ErrorCode.RATE_LIMITED, 'Too many operations; slow down.', {
    details: { retryAfterMs: result.retryAfterMs },
  });
}
