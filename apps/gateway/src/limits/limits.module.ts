import { redisKeys } from '@collab/contracts';
import { Module } from '@nestjs/common';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { GATEWAY_CONFIG, GATEWAY_LOGGER, GATEWAY_OPS_REDIS, GATEWAY_REDIS } from '../config/config.token';
import type { GatewayConfig } from '../config/env';
import { GatewayMetrics } from '../metrics/gateway-metrics';
import { OpRateLimiter } from './op-rate-limiter';
import { RedisAbuseCooldown } from './abuse-cooldown';
import { SocketGuard } from './socket-guard';
import { SocketsPerUser } from './sockets-per-user';

/** The socket edge's limits; what they refuse is counted in GatewayMetrics (provided by GatewayModule). */
@Module({
  providers: [
    {
      provide: OpRateLimiter,
      inject: [GATEWAY_CONFIG, GATEWAY_OPS_REDIS],
      useFactory: (config: GatewayConfig, redis: Redis) =>
        new OpRateLimiter(redis, redisKeys(config.REDIS_PREFIX), {
          perSocket: config.OPS_PER_SECOND_PER_SOCKET,
          perUser: config.OPS_PER_SECOND_PER_USER,
          inFlightPerSocket: config.OPS_IN_FLIGHT_PER_SOCKET,
          maxSocketsPerUser: config.MAX_SOCKETS_PER_USER,
        }),
    },
    {
      provide: SocketGuard,
      inject: [GATEWAY_CONFIG, GATEWAY_REDIS, GATEWAY_LOGGER, GatewayMetrics, OpRateLimiter],
      useFactory: (
        config: GatewayConfig,
        redis: Redis,
        log: Logger,
        metrics: GatewayMetrics,
        opLimiter: OpRateLimiter,
      ) => {
        const sockets = new SocketsPerUser(
          redis,
          redisKeys(config.REDIS_PREFIX),
          config.GATEWAY_ID,
          config.MAX_SOCKETS_PER_USER,
          (error: unknown) => log.warn({ err: error }, 'socket lease update failed'),
          // The admissions tell the per-user operation limit who may skip its Redis bucket.
          opLimiter.socketCountWatch(),
        );
        return new SocketGuard(
          sockets,
          new RedisAbuseCooldown(redis, redisKeys(config.REDIS_PREFIX), config.ABUSE_COOLDOWN_SECONDS),
          metrics,
          {
            eventsPerSecond: config.EVENTS_PER_SECOND_PER_SOCKET,
            abuseStrikes: config.ABUSE_STRIKES,
            abuseWindowSeconds: config.ABUSE_WINDOW_SECONDS,
          },
          log,
        );
      },
    },
  ],
  exports: [OpRateLimiter, SocketGuard],
})
export class LimitsModule {}
