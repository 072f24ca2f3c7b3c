import { createTestRedis, type TestRedis, until } from '@collab/testing';
import { Redis } from 'ioredis';
import { type HashRing, Membership, type MembershipKeys } from '../src';

let infra: TestRedis;
let redis: Redis;
let keys: MembershipKeys;
const started: Membership[] = [];

beforeAll(async () => {
  infra = await createTestRedis('membership');
  redis = new Redis(infra.url);
  keys = {
    members: `${infra.prefix}members`,
    records: `${infra.prefix}records`,
    channel: `${infra.prefix}events`,
  };
});

afterEach(async () => {
  await Promise.all(started.splice(0).map((m) => m.stop()));
});

afterAll(async () => {
  redis.disconnect();
  await infra.cleanup();
});

function member(id: string, ttlMs = 1500, intervalMs = 200): Membership {
  const m = new Membership({
    redis,
    keys,
    mode: 'member',
    instanceId: id,
    ttlMs,
    intervalMs,
    record: () => ({ inbox: `inbox:${id}` }),
  });
  started.push(m);
  return m;
}

function observer(): Membership {
  const m = new Membership({ redis, keys, mode: 'observer', ttlMs: 1500, intervalMs: 200 });
  started.push(m);
  return m;
}

function nextChange(m: Membership): Promise<HashRing> {
  return new Promise((resolve) => m.once('change', (ring) => resolve(ring)));
}

describe('Membership', () => {
  it('builds the same ring in every process, and an observer sees joins at once', async () => {
    const watcher = observer();
    await watcher.start();
    const a = member('a');
    const b = member('b');
    await a.start();
    await b.start();
    await until(() => watcher.ring.size === 2 && a.ring.size === 2 && b.ring.size === 2, {
      what: 'every ring to hold both members',
    });
    expect(watcher.ring.members).toEqual(['a', 'b']);
    for (const doc of ['d1', 'd2', 'd3', 'd4']) {
      expect(a.ring.ownerOf(doc)).toBe(watcher.ring.ownerOf(doc));
      expect(a.owns(doc)).not.toBe(b.owns(doc));
    }
    expect(await watcher.records()).toEqual({
      a: { instanceId: 'a', inbox: 'inbox:a' },
      b: { instanceId: 'b', inbox: 'inbox:b' },
    });
  });

  it('a member that stops leaves at once, without waiting for the TTL', async () => {
    const watcher = observer();
    await watcher.start();
    const a = member('a', 60_000, 5_000);
    const b = member('b', 60_000, 5_000);
    await a.start();
    await b.start();
    await until(() => watcher.ring.size === 2, { what: 'the watcher to see both members' });
    const changed = nextChange(watcher);
    await b.stop();
    expect((await changed).members).toEqual(['a']);
  });

  it('a member that stops heartbeating (killed) expires after the TTL', async () => {
    const watcher = observer();
    await watcher.start();
    const a = member('a');
    await a.start();
    // Simulate kill -9: an entry that nobody refreshes.
    await redis.eval(
      "local t = redis.call('TIME'); redis.call('ZADD', KEYS[1], t[1] * 1000 + math.floor(t[2] / 1000) + 600, 'ghost')",
      1,
      keys.members,
    );
    await redis.publish(keys.channel, 'join:ghost');
    await until(() => watcher.ring.has('ghost'), { what: 'the watcher to see the ghost' });
    // Nobody removes it: its entry expires (600 ms) and every watcher drops it.
    // How soon is a figure for a benchmark, not an assertion here.
    await until(() => !watcher.ring.has('ghost'), {
      what: "the expired ghost to drop out of the watcher's ring",
    });
    expect(watcher.ring.members).toEqual(['a']);
  });

  it('a member whose entry expired (a pause, a Redis restart) is told it lapsed and rejoins', async () => {
    const a = member('a', 1000, 200);
    const lapsed = new Promise<void>((resolve) => a.once('lapsed', () => resolve()));
    await a.start();
    expect(a.isLive).toBe(true);
    // Everything in Redis is lost.
    await redis.del(keys.members, keys.records);
    await lapsed;
    await until(() => a.ring.has('a') && a.isLive, { what: 'the lapsed member to rejoin' });
  });

  it('stops being live, and owns nothing, when it cannot reach Redis for longer than the TTL', async () => {
    const own = new Redis(infra.url, { maxRetriesPerRequest: 0, enableOfflineQueue: false });
    await new Promise((resolve) => own.once('ready', resolve));
    const m = new Membership({
      redis: own,
      keys,
      mode: 'member',
      instanceId: 'x',
      ttlMs: 400,
      intervalMs: 100,
    });
    const failures: Error[] = [];
    m.on('failure', (e) => failures.push(e));
    await m.start();
    await until(() => m.owns('doc'), { what: 'the member to own the document' });
    own.disconnect(); // the network to Redis is gone; heartbeats fail from now on
    await until(() => !m.isLive, { what: 'the member cut off from Redis to stop being live' });
    expect(m.owns('doc')).toBe(false);
    expect(failures.length).toBeGreaterThan(0);
    await m.stop().catch(() => undefined);
  });

  it('refuses to start when Redis cannot be reached', async () => {
    // A connection that never connects: every command fails at once.
    const broken = new Redis(infra.url, { lazyConnect: true, enableOfflineQueue: false });
    const m = new Membership({
      redis: broken,
      keys,
      mode: 'member',
      instanceId: 'y',
      ttlMs: 300,
      intervalMs: 100,
    });
    m.on('failure', () => undefined);
    await expect(m.start()).rejects.toThrow();
    expect(m.isLive).toBe(false);
    await m.stop();
    broken.disconnect();
  });
});
