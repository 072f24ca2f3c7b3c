import { createTestRedis, type TestRedis } from '@collab/testing';
import { Redis } from 'ioredis';
import { RedisTokenBucket } from '../src/limits/token-bucket';

let infra: TestRedis;
let a: Redis;
let b: Redis;

beforeAll(async () => {
  infra = await createTestRedis('gw_bucket');
  a = new Redis(infra.url);
  b = new Redis(infra.url);
});

afterAll(async () => {
  a.disconnect();
  b.disconnect();
  await infra.cleanup();
});

describe('RedisTokenBucket', () => {
  it('is one bucket for every gateway: a burst spent through one is spent for the other', async () => {
    const rate = { perSecond: 5, burst: 5 };
    const one = new RedisTokenBucket(a, `${infra.prefix}ops:`, rate);
    const two = new RedisTokenBucket(b, `${infra.prefix}ops:`, rate);
    const results = [];
    for (let i = 0; i < 3; i++) results.push(await one.take('user-1'));
    for (let i = 0; i < 3; i++) results.push(await two.take('user-1'));
    expect(results.map((r) => r.allowed)).toEqual([true, true, true, true, true, false]);
    const refused = results[5];
    expect(refused.allowed === false && refused.retryAfterMs > 0 && refused.retryAfterMs <= 200).toBe(true);
    // Another user has their own bucket.
    expect((await two.take('user-2')).allowed).toBe(true);
  });

  it('owes: an owed take passes past empty, is debited down to minus the floor, and the debt refuses what follows', async () => {
    // A refill too slow to matter within the test: 1 token in 100 s.
    const bucket = new RedisTokenBucket(a, `${infra.prefix}owe:`, { perSecond: 0.01, burst: 3 });
    const sockets = `${infra.prefix}no-sockets`;
    const taken = [];
    for (let i = 0; i < 6; i++) taken.push(await bucket.takeCounting('u', sockets, 2));
    expect(taken.map((t) => t.result.allowed)).toEqual([true, true, true, true, true, true]);
    expect(taken.map((t) => t.level)).toEqual([2, 1, 0, -1, -2, -2]);
    expect(taken.map((t) => t.members)).toEqual([0, 0, 0, 0, 0, 0]);
    // The debt stands: a take that is not owed is refused, with the wait to climb back to one token.
    const refused = await bucket.takeCounting('u', sockets);
    expect(refused.result.allowed).toBe(false);
    expect(refused.level).toBe(-2);
    expect(refused.result.allowed === false && refused.result.retryAfterMs).toBeGreaterThan(200_000);
    // A take that is not owed never goes below empty.
    const fresh = [];
    for (let i = 0; i < 4; i++) fresh.push(await bucket.takeCounting('v', sockets));
    expect(fresh.map((t) => [t.result.allowed, t.level])).toEqual([
      [true, 2],
      [true, 1],
      [true, 0],
      [false, 0],
    ]);
  });

  it('refills with time (Redis clock) and expires idle buckets', async () => {
    // A token every 500 ms: the two takes below would have to be that far apart
    // for the second to find one (at 20/s, a loaded CI machine's 50 ms gap did).
    const bucket = new RedisTokenBucket(a, `${infra.prefix}refill:`, { perSecond: 2, burst: 1 });
    expect((await bucket.take('u')).allowed).toBe(true);
    expect((await bucket.take('u')).allowed).toBe(false);
    await new Promise((r) => setTimeout(r, 600));
    expect((await bucket.take('u')).allowed).toBe(true);
    const ttl = await a.pttl(`${infra.prefix}refill:u`);
    expect(ttl).toBeGreaterThan(0);
    // The bucket lives as long as a refill from empty (500 ms) plus a second.
    expect(ttl).toBeLessThanOrEqual(1500);
  });
});
