import type { RedisKeys } from '@collab/contracts';
import type { Redis } from 'ioredis';
import { RateLimiterRedis } from 'rate-limiter-flexible';
import type { AbuseCooldown } from './socket-guard';

/** The abuse cool-down in Redis (rate-limiter-flexible's `block`), so every gateway honours it. */
export class RedisAbuseCooldown implements AbuseCooldown {
  private readonly blocks: RateLimiterRedis;

  constructor(
    redis: Redis,
    keys: RedisKeys,
    private readonly seconds: number,
  ) {
    this.blocks = new RateLimiterRedis({
      storeClient: redis,
      keyPrefix: keys.rateLimitPrefix('abuse-cooldown'),
      points: 1,
      duration: seconds,
    });
  }

  async remainingMs(userId: string): Promise<number> {
    const state = await this.blocks.get(userId);
    // `block` records more points than allowed; nothing else consumes here.
    return state !== null && state.consumedPoints > 1 ? state.msBeforeNext : 0;
  }

  async start(userId: string): Promise<void> {
    await this.blocks.block(userId, this.seconds);
  }
}
