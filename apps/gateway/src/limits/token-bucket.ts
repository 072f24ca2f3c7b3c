import type { Redis } from 'ioredis';

/** The outcome of taking one token: allowed, or how long until one is there. */
export type TakeResult =
  { readonly allowed: true } | { readonly allowed: false; readonly retryAfterMs: number };

export interface BucketRate {
  /** Tokens added per second (the sustained rate). */
  readonly perSecond: number;
  /** Tokens the bucket holds at most (the largest burst after a pause). */
  readonly burst: number;
}

/**
 * A token bucket in Redis, shared by every gateway: the bucket of a key
 * refills continuously at `perSecond` up to `burst`, and each take removes
 * one token. Unlike fixed one-second windows it never lets twice the rate
 * through across a window edge, and a pause earns back at most `burst`.
 * Time is Redis's own clock (TIME), so gateways with skewed clocks agree.
 *
 * An owed take (ARGV[3] > 0, the debt floor) is for an operation that went
 * on before its answer: it is debited even past empty, down to minus the
 * floor, so the refill repays it and the sustained rate stays exact. It
 * answers the level left (whole tokens, negative while owed), which the
 * gateway uses to decide whether the next operation may go on unanswered.
 */
const TAKE = `
local rate = tonumber(ARGV[1])
local burst = tonumber(ARGV[2])
local owe = tonumber(ARGV[3] or '0')
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local state = redis.call('HMGET', KEYS[1], 'tokens', 'at')
local tokens = tonumber(state[1])
local at = tonumber(state[2])
if tokens == nil or at == nil then
  tokens = burst
  at = now
end
tokens = math.min(burst, tokens + math.max(0, now - at) * rate / 1000)
local allowed = 0
local wait = 0
if tokens >= 1 then
  tokens = tokens - 1
  allowed = 1
elseif owe > 0 then
  tokens = math.max(-owe, tokens - 1)
  allowed = 1
else
  wait = math.ceil((1 - tokens) * 1000 / rate)
end
redis.call('HSET', KEYS[1], 'tokens', tostring(tokens), 'at', tostring(now))
redis.call('PEXPIRE', KEYS[1], math.ceil(burst * 1000 / rate) + 1000)
local members = -1
if KEYS[2] then members = redis.call('ZCARD', KEYS[2]) end
return { allowed, wait, members, math.floor(tokens) }
`;

interface TokenBucketCommands {
  takeToken(
    key: string,
    perSecond: number,
    burst: number,
    owe: number,
  ): Promise<[number, number, number, number]>;
  takeTokenCounting(
    key: string,
    countKey: string,
    perSecond: number,
    burst: number,
    owe: number,
  ): Promise<[number, number, number, number]>;
}

export class RedisTokenBucket {
  private readonly redis: Redis & TokenBucketCommands;

  constructor(
    redis: Redis,
    private readonly prefix: string,
    private readonly rate: BucketRate,
  ) {
    if (!('takeToken' in redis)) redis.defineCommand('takeToken', { numberOfKeys: 1, lua: TAKE });
    if (!('takeTokenCounting' in redis)) {
      redis.defineCommand('takeTokenCounting', { numberOfKeys: 2, lua: TAKE });
    }
    this.redis = redis as Redis & TokenBucketCommands;
  }

  /**
   * take(), and in the same step the size of the sorted set at `countKey`
   * (a user's socket leases: SocketsPerUser), read at the moment of the take,
   * and the level the take left. `owe` > 0: an owed take (see TAKE), always
   * allowed, debited down to `-owe` at most.
   */
  async takeCounting(
    id: string,
    countKey: string,
    owe = 0,
  ): Promise<{ result: TakeResult; members: number; level: number }> {
    const [allowed, wait, members, level] = await this.redis.takeTokenCounting(
      `${this.prefix}${id}`,
      countKey,
      this.rate.perSecond,
      this.rate.burst,
      owe,
    );
    const result: TakeResult = allowed === 1 ? { allowed: true } : { allowed: false, retryAfterMs: wait };
    return { result, members, level };
  }

  async take(id: string): Promise<TakeResult> {
    const [allowed, wait] = await this.redis.takeToken(
      `${this.prefix}${id}`,
      this.rate.perSecond,
      this.rate.burst,
      0,
    );
    return allowed === 1 ? { allowed: true } : { allowed: false, retryAfterMs: wait };
  }
}

/** The same bucket in this process (per-socket limits, and the stand-in while Redis does not answer). */
export class MemoryTokenBucket {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();

  constructor(
    private readonly rate: BucketRate,
    private readonly now: () => number = () => performance.now(),
  ) {}

  take(id: string): TakeResult {
    const now = this.now();
    const bucket = this.buckets.get(id) ?? { tokens: this.rate.burst, at: now };
    bucket.tokens = Math.min(
      this.rate.burst,
      bucket.tokens + ((now - bucket.at) * this.rate.perSecond) / 1000,
    );
    bucket.at = now;
    this.buckets.set(id, bucket);
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return { allowed: true };
    }
    return { allowed: false, retryAfterMs: Math.ceil(((1 - bucket.tokens) * 1000) / this.rate.perSecond) };
  }

  forget(id: string): void {
    this.buckets.delete(id);
  }

  /** Drops full buckets (idle ids), so the map does not grow with every id ever seen. */
  sweep(): void {
    const now = this.now();
    for (const [id, bucket] of this.buckets) {
      const tokens = bucket.tokens + ((now - bucket.at) * this.rate.perSecond) / 1000;
      if (tokens >= this.rate.burst) this.buckets.delete(id);
    }
  }
}
