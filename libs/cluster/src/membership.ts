import { EventEmitter } from 'node:events';
import type { Redis } from 'ioredis';
import { HashRing } from './hash-ring';
import { HEARTBEAT_SCRIPT, LIST_SCRIPT } from './membership-scripts';

export interface MembershipKeys {
  /** Sorted set of live members scored by expiry time. */
  readonly members: string;
  /** Hash of member records. */
  readonly records: string;
  /** Pub/sub channel announcing joins and leaves, so watchers need not wait for the next poll. */
  readonly channel: string;
}

export interface MembershipOptions {
  readonly redis: Redis;
  readonly keys: MembershipKeys;
  /** A member heartbeats and owns documents; an observer (a gateway) only watches. */
  readonly mode: 'member' | 'observer';
  /** Required for a member. */
  readonly instanceId?: string;
  /** Record published with each heartbeat (e.g. the instance's inbox name). */
  readonly record?: () => Record<string, unknown>;
  /** A member that misses heartbeats for this long is gone. */
  readonly ttlMs: number;
  /** Heartbeat and poll period; well below ttlMs. */
  readonly intervalMs: number;
}

export interface MembershipEvents {
  /** The live member set changed: route with the new ring from now on. */
  change: [ring: HashRing, previous: HashRing];
  /**
   * This member lost its place: a heartbeat found it expired (a pause, a
   * partition, a Redis restart). Others may have taken over its documents, so
   * everything it held in memory about them must be dropped before it serves
   * again. The database fence would refuse its writes anyway; dropping state
   * early saves a failed write.
   */
  lapsed: [];
  /** A Redis call failed; the loop keeps trying. */
  failure: [error: Error];
}

/**
 * Doc-service membership in Redis, and the consistent-hash ring over it.
 * Members heartbeat into a sorted set scored by expiry (Redis clock); every
 * process (members and gateways) polls it and listens for announcements, and
 * rebuilds the same ring from the same live set.
 */
export class Membership extends EventEmitter<MembershipEvents> {
  private current = new HashRing([]);
  private timer: NodeJS.Timeout | undefined;
  private subscriber: Redis | undefined;
  private joined = false;
  private lastBeatAt = 0;
  private stopped = true;
  private inFlight: Promise<Error | undefined> | undefined;

  constructor(private readonly options: MembershipOptions) {
    super();
    if (options.mode === 'member' && !options.instanceId) throw new Error('a member needs an instanceId');
    if (options.intervalMs >= options.ttlMs) throw new Error('intervalMs must be below ttlMs');
  }

  /** The ring over the live members as last seen. */
  get ring(): HashRing {
    return this.current;
  }

  /**
   * True while this member's last successful heartbeat is younger than the
   * TTL, measured on the local monotonic clock. When false, others may own
   * its documents: it must not accept operations.
   */
  get isLive(): boolean {
    return this.joined && performance.now() - this.lastBeatAt < this.options.ttlMs;
  }

  /** Whether this instance owns `key` on the current ring and is live. */
  owns(key: string): boolean {
    return this.isLive && this.current.ownerOf(key) === this.options.instanceId;
  }

  async start(): Promise<void> {
    this.stopped = false;
    // The subscriber queues commands until connected (and resubscribes after a reconnect),
    // whatever the main connection's settings.
    this.subscriber = this.options.redis.duplicate({ enableOfflineQueue: true, lazyConnect: false });
    this.subscriber.on('error', (error: Error) => this.emit('failure', error));
    this.subscriber.on('message', () => void this.tick());
    await this.subscriber.subscribe(this.options.keys.channel);
    // The first heartbeat must succeed: an instance that cannot join must not start serving.
    const failure = await this.tick();
    if (failure) {
      await this.stop();
      throw failure;
    }
    if (this.options.mode === 'member') {
      await this.options.redis.publish(this.options.keys.channel, `join:${this.options.instanceId}`);
    }
    this.timer = setInterval(() => void this.tick(), this.options.intervalMs);
  }

  /** Leaves the membership (a member) and stops watching. Others re-route at once. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    await this.inFlight;
    try {
      if (this.options.mode === 'member' && this.joined) {
        const id = this.options.instanceId!;
        this.joined = false;
        await this.options.redis
          .multi()
          .zrem(this.options.keys.members, id)
          .hdel(this.options.keys.records, id)
          .publish(this.options.keys.channel, `leave:${id}`)
          .exec();
      }
    } finally {
      this.subscriber?.disconnect();
      this.subscriber = undefined;
    }
  }

  /** Reads the live member records (for diagnostics and readiness). */
  async records(): Promise<Record<string, Record<string, unknown>>> {
    const raw = await this.options.redis.hgetall(this.options.keys.records);
    const out: Record<string, Record<string, unknown>> = {};
    for (const id of this.current.members) {
      const value = raw[id];
      if (value !== undefined) out[id] = JSON.parse(value) as Record<string, unknown>;
    }
    return out;
  }

  /** One heartbeat (member) or poll (observer); resolves to the error if it failed. Calls never overlap. */
  tick(): Promise<Error | undefined> {
    if (this.inFlight) return this.inFlight;
    this.inFlight = this.beat().finally(() => (this.inFlight = undefined));
    return this.inFlight;
  }

  private async beat(): Promise<Error | undefined> {
    if (this.stopped) return undefined;
    const { redis, keys, ttlMs } = this.options;
    try {
      let live: string[];
      if (this.options.mode === 'member') {
        const record = JSON.stringify({ instanceId: this.options.instanceId, ...this.options.record?.() });
        const before = performance.now();
        const reply = (await redis.eval(
          HEARTBEAT_SCRIPT,
          2,
          keys.members,
          keys.records,
          this.options.instanceId!,
          String(ttlMs),
          record,
        )) as [number, ...string[]];
        const [added, ...members] = reply;
        // Our entry had expired while we believed we were a member: someone else
        // may have served our documents in between.
        if (this.joined && added === 1) this.emit('lapsed');
        else if (this.joined && before - this.lastBeatAt >= ttlMs) this.emit('lapsed');
        this.joined = true;
        // Measured from before the call: the entry's expiry was set no earlier than that.
        this.lastBeatAt = before;
        live = members;
      } else {
        live = (await redis.eval(LIST_SCRIPT, 2, keys.members, keys.records)) as string[];
      }
      if (this.stopped) return undefined;
      const next = new HashRing(live);
      if (!next.sameMembers(this.current)) {
        const previous = this.current;
        this.current = next;
        this.emit('change', next, previous);
      }
      return undefined;
    } catch (caught) {
      const error = caught instanceof Error ? caught : new Error(String(caught));
      this.emit('failure', error);
      return error;
    }
  }
}
