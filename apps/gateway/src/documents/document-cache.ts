import { type RedisKeys, parseJson } from '@collab/contracts';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { z } from 'zod';

/** Generation counters outlive any read by far; they only need to outlast one read-then-store. */
const GENERATION_TTL_SECONDS = 3_600;

/**
 * Stores `ARGV[2]` under `KEYS[1]` for `ARGV[3]` seconds only if the entry's
 * generation (`KEYS[2]`) is still `ARGV[1]` (empty string: no generation yet).
 */
const STORE_IF_UNCHANGED = `
local generation = redis.call('GET', KEYS[2]) or ''
if generation == ARGV[1] then
  redis.call('SET', KEYS[1], ARGV[2], 'EX', tonumber(ARGV[3]))
  return 1
end
return 0`;

export interface CacheTtls {
  readonly listSeconds: number;
  readonly documentSeconds: number;
}

/**
 * Read-through cache of document lists (per user) and document metadata
 * (per document) in Redis, with short TTLs.
 *
 * Invariant: after a write's invalidation returns, no reader can store a
 * value read before that write. Each entry has a generation counter: a
 * reader notes it before reading PostgreSQL and stores its result only if
 * the counter has not moved (one Lua script, atomic), and an invalidation
 * deletes the entry and increments the counter. Without the counter a slow
 * reader could put the pre-write value back just after the invalidation,
 * and the writer would see their own change undone for a whole TTL.
 *
 * Redis trouble never fails a request: reads fall through to PostgreSQL.
 */
export class DocumentCache {
  private readonly redis: Redis & {
    storeIfUnchanged(
      key: string,
      generationKey: string,
      generation: string,
      value: string,
      ttl: number,
    ): Promise<number>;
  };

  constructor(
    redis: Redis,
    private readonly keys: RedisKeys,
    private readonly ttls: CacheTtls,
    private readonly log: Logger,
  ) {
    redis.defineCommand('storeIfUnchanged', { numberOfKeys: 2, lua: STORE_IF_UNCHANGED });
    this.redis = redis as DocumentCache['redis'];
  }

  /** The user's document list, from the cache or from `load`. */
  list<S extends z.ZodType>(
    userId: string,
    schema: S,
    load: () => Promise<z.output<S>>,
  ): Promise<z.output<S>> {
    return this.readThrough(this.keys.documentListCache(userId), this.ttls.listSeconds, schema, load);
  }

  /** A document's metadata, from the cache or from `load`. */
  document<S extends z.ZodType>(
    docId: string,
    schema: S,
    load: () => Promise<z.output<S>>,
  ): Promise<z.output<S>> {
    return this.readThrough(this.keys.documentCache(docId), this.ttls.documentSeconds, schema, load);
  }

  /** Drops the lists of `userIds` and the metadata of `docIds`; call after the write has committed. */
  async invalidate(entries: { userIds?: readonly string[]; docIds?: readonly string[] }): Promise<void> {
    const keys = [
      ...(entries.userIds ?? []).map((id) => this.keys.documentListCache(id)),
      ...(entries.docIds ?? []).map((id) => this.keys.documentCache(id)),
    ];
    if (keys.length === 0) return;
    const multi = this.redis.multi();
    for (const key of keys) {
      const generation = this.keys.cacheGeneration(key);
      multi.del(key).incr(generation).expire(generation, GENERATION_TTL_SECONDS);
    }
    try {
      await multi.exec();
    } catch (error) {
      // The entries expire on their own; until then a reader may see the old value.
      this.log.error({ err: error, keys }, 'cache invalidation failed');
    }
  }

  /**
   * Resolves once every store issued before it has been applied: stores are
   * not awaited by readers, but commands on one Redis connection run in
   * order, so a command sent now is answered after them (tests wait on this
   * instead of sleeping).
   */
  async settled(): Promise<void> {
    await this.redis.ping();
  }

  private async readThrough<S extends z.ZodType>(
    key: string,
    ttlSeconds: number,
    schema: S,
    load: () => Promise<z.output<S>>,
  ): Promise<z.output<S>> {
    const generationKey = this.keys.cacheGeneration(key);
    let generation: string | null = null;
    try {
      const [cached, current] = await this.redis.mget(key, generationKey);
      if (cached !== null && cached !== undefined) {
        const parsed = parseJson(schema, cached);
        if (parsed.ok) return parsed.value;
      }
      generation = current ?? '';
    } catch (error) {
      this.log.warn({ err: error }, 'cache read failed');
    }
    const value = await load();
    if (generation !== null) {
      this.redis
        .storeIfUnchanged(key, generationKey, generation, JSON.stringify(value), ttlSeconds)
        .catch((error: unknown) => this.log.warn({ err: error }, 'cache store failed'));
    }
    return value;
  }
}
