import { redisKeys, type RedisKeys } from '@collab/contracts';
import { createTestRedis, type TestRedis } from '@collab/testing';
import { Redis } from 'ioredis';
import { SocketsPerUser } from '../src/limits/sockets-per-user';

jest.setTimeout(30_000);

let infra: TestRedis;
let keys: RedisKeys;
let redis: Redis;
let sockets: SocketsPerUser;
const errors: unknown[] = [];

beforeAll(async () => {
  infra = await createTestRedis('gw_leases');
  keys = redisKeys(infra.prefix);
  redis = new Redis(infra.url);
  sockets = new SocketsPerUser(redis, keys, 'gw-1', 1_000, (error) => errors.push(error));
});

afterAll(async () => {
  sockets.stop();
  redis.disconnect();
  await infra.cleanup();
});

const expiryOf = async (userId: string, socketId: string) => {
  const score = await redis.zscore(keys.userSockets(userId), `gw-1/${socketId}`);
  return score === null ? null : Number(score);
};

describe('socket lease renewal', () => {
  it('moves every held lease forward, in more than one call when there are many, and touches nothing else', async () => {
    // 1,203 leases of 3 users: more than two script calls' worth (RENEW_BATCH).
    const leases: [string, string][] = [];
    for (let i = 0; i < 1_203; i++) leases.push([`s${i}`, `u${i % 3}`]);
    for (const [socketId, userId] of leases) expect(await sockets.admit(userId, socketId)).toBe(true);
    // Age every lease by rewriting its score into the past, as if admitted 50 s ago.
    const old = Date.now() - 50_000;
    for (const [socketId, userId] of leases)
      await redis.zadd(keys.userSockets(userId), 'XX', old, `gw-1/${socketId}`);
    await redis.zadd(keys.userSockets('u0'), old, 'gw-2/other'); // another gateway's lease
    await redis.pexpire(keys.userSockets('u1'), 1_000);

    const before = Date.now();
    await sockets.renew(leases);

    for (const [socketId, userId] of leases) {
      const expiry = await expiryOf(userId, socketId);
      expect(expiry).toBeGreaterThanOrEqual(before + 60_000);
    }
    expect(Number(await redis.zscore(keys.userSockets('u0'), 'gw-2/other'))).toBe(old);
    // The set outlives its leases (twice LEASE_MS), so a lapse is seen by the score, never by a vanished key.
    expect(await redis.pttl(keys.userSockets('u1'))).toBeGreaterThan(100_000);
    expect(await redis.zcard(keys.userSockets('u2'))).toBe(401);
    expect(errors).toEqual([]);
  });

  it('never brings back a lease released meanwhile', async () => {
    expect(await sockets.admit('u9', 'gone')).toBe(true);
    expect(await sockets.admit('u9', 'kept')).toBe(true);
    sockets.release('gone');
    // release() removes the member without waiting; a round trip on the same connection orders it first.
    await redis.ping();
    await sockets.renew([
      ['gone', 'u9'],
      ['kept', 'u9'],
    ]);
    expect(await expiryOf('u9', 'gone')).toBeNull();
    expect(await expiryOf('u9', 'kept')).not.toBeNull();
    expect(await redis.zcard(keys.userSockets('u9'))).toBe(1);
  });
});
