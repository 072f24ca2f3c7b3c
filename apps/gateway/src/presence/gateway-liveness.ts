import { randomUUID } from 'node:crypto';
import type { GatewayRun, RedisKeys } from '@collab/contracts';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';

/** What `alive` answers: whether a run's key existed when asked. */
export type RunLiveness = (run: GatewayRun) => boolean;

/**
 * Tells live gateway runs from gone ones, for the presence hash (whose
 * entries name the run holding each session): every run keeps one key,
 * `redisKeys(p).gatewayRun(gatewayId, runId)`, set with a TTL of `ttlMs` and
 * refreshed every third of it. That is one Redis write per gateway per
 * refresh whatever its number of sockets; an idle socket costs nothing here.
 *
 * Invariant: while this run lives and Redis answers, its key exists: it is
 * set before the gateway serves (no entry of this run is ever stored
 * without it) and refreshed twice over within each TTL. When the run ends,
 * the key is gone at most `ttlMs` after its last refresh (a crash) or at
 * once (a clean stop deletes it); from then on every join that reads the
 * hash drops that run's entries (PresenceService.list).
 *
 * A run id is drawn at each boot, so a gateway restarted under the same
 * GATEWAY_ID (a container restarted in its pod after a crash) does not
 * revive the carets its previous run left.
 */
export class GatewayLiveness {
  readonly run: GatewayRun;
  private readonly key: string;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly redis: Redis,
    private readonly keys: RedisKeys,
    gatewayId: string,
    private readonly ttlMs: number,
    private readonly log: Logger,
  ) {
    this.run = { gatewayId, runId: randomUUID() };
    this.key = this.keyOf(this.run);
  }

  /** Sets the key (awaited before the gateway serves), then refreshes it on a timer. */
  async start(): Promise<void> {
    await this.refresh();
    this.timer = setInterval(
      () => {
        this.refresh().catch((error: unknown) =>
          this.log.warn({ err: error }, 'gateway liveness not refreshed'),
        );
      },
      Math.floor(this.ttlMs / 3),
    );
    this.timer.unref();
  }

  /**
   * A clean stop: the key goes now, so any entry of this run still in a
   * presence hash (a leave that did not get through) is dropped by the next
   * join rather than after the TTL.
   */
  async stop(): Promise<void> {
    clearInterval(this.timer);
    this.timer = undefined;
    await this.redis.del(this.key).catch((error: unknown) => {
      this.log.warn({ err: error }, 'gateway liveness key not removed; it expires on its own');
    });
  }

  /**
   * Which of `runs` are alive. This run always is, without asking; the others
   * cost one round trip (one EXISTS per distinct run, pipelined), none when
   * there are none. When Redis does not answer, every run counts as alive:
   * a ghost shown a little longer is better than a live caret removed.
   */
  async alive(runs: Iterable<GatewayRun>): Promise<RunLiveness> {
    const alive = new Set([this.key]);
    const others = new Set<string>();
    for (const run of runs) {
      const key = this.keyOf(run);
      if (key !== this.key) others.add(key);
    }
    if (others.size > 0) {
      const asked = [...others];
      const pipeline = this.redis.pipeline();
      for (const key of asked) pipeline.exists(key);
      const replies = await pipeline.exec().catch((error: unknown) => {
        this.log.warn({ err: error }, 'gateway liveness not read; every run counts as alive');
        return null;
      });
      asked.forEach((key, i) => {
        const [error, count] = replies?.[i] ?? [null, 1];
        if (error !== null || count !== 0) alive.add(key);
      });
    }
    return (run) => alive.has(this.keyOf(run));
  }

  private refresh(): Promise<unknown> {
    return this.redis.set(this.key, '1', 'PX', this.ttlMs);
  }

  private keyOf(run: GatewayRun): string {
    return this.keys.gatewayRun(run.gatewayId, run.runId);
  }
}
