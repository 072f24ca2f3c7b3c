import { AppError, redisKeys, type RedisKeys } from '@collab/contracts';
import { createTestRedis, type TestRedis, until } from '@collab/testing';
import { Redis } from 'ioredis';
import { OpRateLimiter } from '../src/limits/op-rate-limiter';
import { SocketsPerUser } from '../src/limits/sockets-per-user';

jest.setTimeout(30_000);

let infra: TestRedis;
let keys: RedisKeys;
const connections: Redis[] = [];
const stops: (() => void)[] = [];

beforeAll(async () => {
  infra = await createTestRedis('gw_oplimit');
  keys = redisKeys(infra.prefix);
});

afterAll(async () => {
  for (const stop of stops) stop();
  for (const c of connections) c.disconnect();
  await infra.cleanup();
});

/** One gateway's limits: its operation limiter and its socket admissions, on its own connection. */
function gateway(id: string, rates = { perSocket: 10, perUser: 20, maxSocketsPerUser: 5 }) {
  const redis = new Redis(infra.url);
  connections.push(redis);
  const limiter = new OpRateLimiter(redis, keys, { ...rates, inFlightPerSocket: 4 });
  const sockets = new SocketsPerUser(
    redis,
    keys,
    id,
    rates.maxSocketsPerUser,
    () => undefined,
    limiter.socketCountWatch(),
  );
  stops.push(() => {
    sockets.stop();
    limiter.onApplicationShutdown();
  });
  return { redis, limiter, sockets };
}

const bucketKey = (userId: string) => `${keys.rateLimitPrefix('ops-user')}${userId}`;

async function refusals(limiter: OpRateLimiter, userId: string, times: number): Promise<number> {
  let refused = 0;
  for (let i = 0; i < times; i++) {
    try {
      await limiter.consumeUser(userId);
    } catch (error) {
      if (!(error instanceof AppError) || error.code !== 'RATE_LIMITED') throw error;
      refused++;
    }
  }
  return refused;
}

/** `times` takes at once; how many were refused. */
async function concurrentRefusals(limiter: OpRateLimiter, userId: string, times: number): Promise<number> {
  const outcomes = await Promise.all(
    Array.from({ length: times }, () =>
      limiter.consumeUser(userId).then(
        () => 0,
        (error: unknown) => {
          if (!(error instanceof AppError) || error.code !== 'RATE_LIMITED') throw error;
          return 1;
        },
      ),
    ),
  );
  return outcomes.reduce<number>((sum, refused) => sum + refused, 0);
}

/**
 * Whether `taking` settled before any reply could come from Redis (within
 * microtasks: no I/O is read meanwhile), and then whether it was refused.
 */
async function atOnce(taking: Promise<void>): Promise<{ atOnce: boolean; refused: boolean }> {
  let settled = false;
  const outcome = taking.then(
    () => false,
    (error: unknown) => {
      if (!(error instanceof AppError) || error.code !== 'RATE_LIMITED') throw error;
      return true;
    },
  );
  void outcome.finally(() => (settled = true));
  for (let i = 0; i < 20; i++) await Promise.resolve();
  const early = settled;
  return { atOnce: early, refused: await outcome };
}

/** The user's bucket level in Redis now (a full or absent bucket reads as its burst). */
async function level(redis: Redis, userId: string, burst: number): Promise<number> {
  const tokens = await redis.hget(bucketKey(userId), 'tokens');
  return tokens === null ? burst : Number(tokens);
}

describe('OpRateLimiter against real Redis', () => {
  it('skips the Redis bucket while the user’s sockets cannot pass the per-user rate, and uses it once they can', async () => {
    // 20 ops/s per user, 10 per socket: up to 2 sockets cannot bind the user's bucket.
    const a = gateway('gw-a');
    const b = gateway('gw-b');
    expect(a.limiter.soloSockets).toBe(2);
    const user = 'user-1';
    expect(await a.sockets.admit(user, 's1')).toBe(true);
    // Solo once the gateway listens for announcements (until then its takes go through Redis and read the count).
    await until(
      async () => {
        await a.limiter.consumeUser(user);
        return a.limiter.isSolo(user);
      },
      { what: 'gateway A to take the user as solo', timeoutMs: 5_000 },
    );
    await a.redis.del(bucketKey(user));
    expect(await refusals(a.limiter, user, 50)).toBe(0);
    // No round trip was made: the user's bucket does not exist in Redis.
    expect(await a.redis.exists(bucketKey(user))).toBe(0);

    // Two more sockets on another gateway: three could pass 20 ops/s together.
    expect(await b.sockets.admit(user, 's2')).toBe(true);
    expect(await b.sockets.admit(user, 's3')).toBe(true);
    await until(async () => !a.limiter.isSolo(user), { what: 'gateway A to give up solo', timeoutMs: 5_000 });
    expect(b.limiter.isSolo(user)).toBe(false);
    // Now the shared bucket counts every operation, whichever gateway takes it:
    // 20 at once and 20 a second in all. Both gateways take at the same time,
    // so the refill meanwhile is small; it is allowed for by the time the
    // takes took, however slow the machine (separate buckets would allow 30).
    const started = performance.now();
    const [refusedA, refusedB] = await Promise.all([
      concurrentRefusals(a.limiter, user, 15),
      concurrentRefusals(b.limiter, user, 15),
    ]);
    const refill = Math.ceil(((performance.now() - started) / 1000) * 20);
    expect(await a.redis.exists(bucketKey(user))).toBe(1);
    expect(30 - refusedA - refusedB).toBeLessThanOrEqual(Math.min(29, 20 + refill));

    // The other gateway's sockets close: the next take through Redis reads the count, and the user is solo again.
    b.sockets.release('s2');
    b.sockets.release('s3');
    await until(async () => (await a.redis.zcard(keys.userSockets(user))) === 1, {
      what: 'one socket lease left',
      timeoutMs: 5_000,
    });
    await until(
      async () => {
        await a.limiter.consumeUser(user).catch(() => undefined);
        return a.limiter.isSolo(user);
      },
      { what: 'gateway A to take the user as solo again', timeoutMs: 5_000 },
    );
  });

  it('always uses Redis when one socket alone may pass the per-user rate', async () => {
    const a = gateway('gw-c', { perSocket: 30, perUser: 20, maxSocketsPerUser: 5 });
    const user = 'user-2';
    expect(await a.sockets.admit(user, 's1')).toBe(true);
    expect(a.limiter.isSolo(user)).toBe(false);
    expect(await concurrentRefusals(a.limiter, user, 25)).toBeGreaterThan(0);
    expect(await a.redis.exists(bucketKey(user))).toBe(1);
  });

  it('never needs Redis when no user may open enough sockets to pass the per-user rate', async () => {
    const a = gateway('gw-d', { perSocket: 10, perUser: 50, maxSocketsPerUser: 5 });
    const user = 'user-3';
    expect(await a.sockets.admit(user, 's1')).toBe(true);
    expect(a.limiter.isSolo(user)).toBe(true);
    expect(await refusals(a.limiter, user, 60)).toBe(0);
    expect(await a.redis.exists(bucketKey(user))).toBe(0);
  });

  it('far from the limit lets an operation go on before its take is answered, owed; near it, waits and refuses as before', async () => {
    // 20 a second per user and 30 per socket: never solo, every take is the shared bucket's.
    const a = gateway('gw-e', { perSocket: 30, perUser: 20, maxSocketsPerUser: 5 });
    const user = 'user-4';
    expect(await a.sockets.admit(user, 's1')).toBe(true);
    // Nothing known of the bucket yet: the first take is waited for.
    expect(await atOnce(a.limiter.consumeUser(user))).toEqual({ atOnce: false, refused: false });
    // 19 left: the next ones go on at once while 19 less those pending stays above 10 (half the burst).
    const outcomes = [];
    for (let i = 0; i < 29; i++) outcomes.push(await atOnce(a.limiter.consumeUser(user)));
    expect(outcomes.slice(0, 9).every((o) => o.atOnce && !o.refused)).toBe(true);
    expect(outcomes.slice(9).some((o) => o.atOnce)).toBe(false);
    // In all no more than the burst (and what refilled) passed: one gateway's owing never outruns the bucket.
    const passed = 1 + outcomes.filter((o) => !o.refused).length;
    expect(passed).toBeGreaterThanOrEqual(20);
    expect(passed).toBeLessThanOrEqual(22);
    expect(await level(a.redis, user, 20)).toBeGreaterThanOrEqual(0);
  });

  it('owes at most half a burst on a level another gateway has spent since, and the debt refuses until repaid', async () => {
    const rates = { perSocket: 30, perUser: 20, maxSocketsPerUser: 5 };
    const a = gateway('gw-f', rates);
    const b = gateway('gw-g', rates);
    const user = 'user-5';
    expect(await a.sockets.admit(user, 's1')).toBe(true);
    expect(await b.sockets.admit(user, 's2')).toBe(true);
    const started = performance.now();
    // Gateway A learns a nearly full bucket (19 left); then B spends it, which A does not see.
    await a.limiter.consumeUser(user);
    const refusedB = await refusals(b.limiter, user, 18);
    // A's estimate is stale: it owes on it until its answers come back, half a burst at most.
    const refusedA = await concurrentRefusals(a.limiter, user, 30);
    // Every take answered (replies come in order on each connection).
    await Promise.all([a.redis.ping(), b.redis.ping()]);
    const refill = Math.ceil(((performance.now() - started) / 1000) * 20);
    const passed = 1 + 18 - refusedB + 30 - refusedA;
    expect(passed).toBeGreaterThan(20 + refill); // owed on a spent level: the bound below is what holds
    expect(passed).toBeLessThanOrEqual(20 + 2 * 10 + refill);
    // What was owed is debited (never below minus the burst), and refuses until the refill repays it.
    const owed = await level(a.redis, user, 20);
    expect(owed).toBeLessThan(0);
    expect(owed).toBeGreaterThanOrEqual(-20);
    expect(await atOnce(a.limiter.consumeUser(user))).toEqual({ atOnce: false, refused: true });
    expect(await atOnce(b.limiter.consumeUser(user))).toEqual({ atOnce: false, refused: true });
  });
});
