import type { RedisKeys } from '@collab/contracts';
import type { Redis } from 'ioredis';

/** A socket's lease in its user's set; renewed well before it lapses while the socket lives. */
const LEASE_MS = 60_000;
/** Every live lease is renewed once per cycle, a slice each tick (see renewSlice). */
const RENEW_CYCLE_MS = 20_000;
const RENEW_TICKS = 20;
/** Leases renewed by one script call at most: one call holds Redis for its whole length. */
const RENEW_BATCH = 500;

/**
 * Drops lapsed leases, then adds this socket's lease unless the user already
 * holds `ARGV[2]`; one script, so two gateways admitting the same user at
 * once cannot both take the last place. Returns the user's sockets after the
 * admission (0: refused). When that is more than `ARGV[6]`, the user's id is
 * published on `ARGV[7]` (see CrowdedUsers), in the same step as the lease.
 */
const ADMIT = `
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', ARGV[1])
if redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[2]) then return 0 end
redis.call('ZADD', KEYS[1], ARGV[3], ARGV[4])
redis.call('PEXPIRE', KEYS[1], ARGV[5])
local count = redis.call('ZCARD', KEYS[1])
if count > tonumber(ARGV[6]) then redis.call('PUBLISH', ARGV[7], ARGV[8]) end
return count`;

/**
 * Renews leases still held: KEYS are the users' sets, ARGV[1] the new
 * expiry, ARGV[2] the sets' time to live, ARGV[2 + i] the member in KEYS[i].
 * `XX` never brings back a lease released meanwhile. One call for a whole
 * slice, rather than two commands per lease in a pipeline: the client side
 * of 400 pipelined commands a second was a tenth of the gateway's garbage
 * at light load (bench/README.md, "Where the gateway's garbage comes from").
 */
const RENEW = `
for i, key in ipairs(KEYS) do
  redis.call('ZADD', key, 'XX', ARGV[1], ARGV[i + 2])
  redis.call('PEXPIRE', key, ARGV[2])
end
return #KEYS`;

/** Who is told when a user's sockets pass a count (the per-user rate limit, OpRateLimiter). */
export interface SocketCountWatch {
  /** Above this many sockets the user is published on `channel`. */
  readonly threshold: number;
  readonly channel: string;
  /** The user's sockets across gateways, as an admission on this gateway left them. */
  admitted(userId: string, count: number): void;
  /** The user's last socket on this gateway closed. */
  left(userId: string): void;
}

type RenewCommand = (numberOfKeys: number, ...keysThenArgs: (string | number)[]) => Promise<number>;

type AdmitCommand = (
  key: string,
  now: number,
  max: number,
  expiresAt: number,
  member: string,
  ttlMs: number,
  threshold: number,
  channel: string,
  userId: string,
) => Promise<number>;

/**
 * Counts each user's open sockets across every gateway: a sorted set per
 * user of `gatewayId/socketId` leases scored by expiry. A gateway that dies
 * without saying goodbye leaves leases that lapse within a minute, so a
 * crash never locks a user out for good.
 */
export class SocketsPerUser {
  private readonly redis: Redis & { admitSocket: AdmitCommand; renewLeases: RenewCommand };
  /** This gateway's live leases: socket id -> user id. */
  private readonly leases = new Map<string, string>();
  /** This gateway's live leases per user id. */
  private readonly perUser = new Map<string, number>();
  private readonly renewal: NodeJS.Timeout;
  /** The leases of the current renewal cycle, taken at its first tick, and the tick within it. */
  private cycle: [socketId: string, userId: string][] = [];
  private tick = 0;

  constructor(
    redis: Redis,
    private readonly keys: RedisKeys,
    private readonly gatewayId: string,
    private readonly max: number,
    private readonly onError: (error: unknown) => void,
    private readonly watch: SocketCountWatch = {
      threshold: Infinity,
      channel: '',
      admitted: () => undefined,
      left: () => undefined,
    },
  ) {
    redis.defineCommand('admitSocket', { numberOfKeys: 1, lua: ADMIT });
    redis.defineCommand('renewLeases', { lua: RENEW });
    this.redis = redis as SocketsPerUser['redis'];
    this.renewal = setInterval(() => void this.renewSlice(), RENEW_CYCLE_MS / RENEW_TICKS);
    this.renewal.unref();
  }

  /** Takes a place for the socket; false when the user already has `max` sockets. */
  async admit(userId: string, socketId: string): Promise<boolean> {
    const now = Date.now();
    const count = await this.redis.admitSocket(
      this.keys.userSockets(userId),
      now,
      this.max,
      now + LEASE_MS,
      this.member(socketId),
      LEASE_MS * 2,
      // Lua compares numbers; a threshold no count reaches never publishes.
      Number.isFinite(this.watch.threshold) ? this.watch.threshold : this.max,
      this.watch.channel,
      userId,
    );
    if (count === 0) return false;
    this.leases.set(socketId, userId);
    this.perUser.set(userId, (this.perUser.get(userId) ?? 0) + 1);
    this.watch.admitted(userId, count);
    return true;
  }

  /** Gives the socket's place back. */
  release(socketId: string): void {
    const userId = this.leases.get(socketId);
    if (userId === undefined) return;
    this.leases.delete(socketId);
    const left = (this.perUser.get(userId) ?? 1) - 1;
    if (left > 0) this.perUser.set(userId, left);
    else {
      this.perUser.delete(userId);
      this.watch.left(userId);
    }
    this.redis.zrem(this.keys.userSockets(userId), this.member(socketId)).catch(this.onError);
  }

  stop(): void {
    clearInterval(this.renewal);
  }

  /**
   * Renews a twentieth of the leases each second rather than all of them at
   * once every 20 s: with thousands of sockets, one pipeline of every lease
   * held the event loop (and the garbage collector) long enough to show in
   * every operation's ack latency at that moment. Each lease is still renewed
   * once per cycle: a socket admitted after the cycle's snapshot holds a
   * fresh lease and is renewed in the next cycle, within 40 s of its
   * admission, well inside LEASE_MS. `XX` never brings back a lease released
   * meanwhile.
   */
  private async renewSlice(): Promise<void> {
    if (this.tick === 0) this.cycle = [...this.leases];
    const size = Math.ceil(this.cycle.length / RENEW_TICKS);
    const slice = this.cycle.slice(this.tick * size, (this.tick + 1) * size);
    this.tick = (this.tick + 1) % RENEW_TICKS;
    if (slice.length === 0) return;
    await this.renew(slice);
  }

  /** Renews `leases` (socket id, user id) that are still held, for LEASE_MS from now, in calls of RENEW_BATCH. */
  async renew(leases: readonly (readonly [socketId: string, userId: string])[]): Promise<void> {
    const expiresAt = Date.now() + LEASE_MS;
    for (let from = 0; from < leases.length; from += RENEW_BATCH) {
      const batch = leases.slice(from, from + RENEW_BATCH);
      const keys = batch.map(([, userId]) => this.keys.userSockets(userId));
      const members = batch.map(([socketId]) => this.member(socketId));
      await this.redis
        .renewLeases(keys.length, ...keys, expiresAt, LEASE_MS * 2, ...members)
        .catch(this.onError);
    }
  }

  private member(socketId: string): string {
    return `${this.gatewayId}/${socketId}`;
  }
}
