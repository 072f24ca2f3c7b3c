import { type MailJobData, QueueName, redisKeys } from '@collab/contracts';
import { ObservabilityModule, postgresCheck, redisCheck, ringCheck } from '@collab/observability';
import { createDataSource } from '@collab/persistence';
import { type DynamicModule, Inject, Module, type OnApplicationShutdown } from '@nestjs/common';
import { PassportModule } from '@nestjs/passport';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { DataSource } from 'typeorm';
import { AccessRevocations } from './access/access-revocations';
import { AccountsModule } from './accounts/accounts.module';
import { CommentEvents } from './comments/comment-events';
import { CommentsModule } from './comments/comments.module';
import { JwtStrategy } from './auth/jwt.strategy';
import {
  GATEWAY_CONFIG,
  GATEWAY_DATA_SOURCE,
  GATEWAY_LOGGER,
  GATEWAY_OPS_REDIS,
  GATEWAY_REDIS,
} from './config/config.token';
import type { GatewayConfig } from './config/env';
import { DocumentAccess } from './documents/document-access';
import { DocumentsModule } from './documents/documents.module';
import { LimitsModule } from './limits/limits.module';
import { MailQueue } from './mail/mail-queue';
import { HistoryModule } from './history/history.module';
import { GatewayMetrics } from './metrics/gateway-metrics';
import { SocketEventObserver } from './metrics/socket-event-observer';
import { GatewayLiveness } from './presence/gateway-liveness';
import { PresenceService } from './presence/presence.service';
import { CollabGateway } from './realtime/collab.gateway';
import { DocRouter } from './routing/doc-router';

/**
 * Everything one gateway runs; closed in order on shutdown, after the sockets
 * (liveness key, router, then Redis and PostgreSQL).
 */
@Module({})
export class GatewayModule implements OnApplicationShutdown {
  constructor(
    @Inject(DocRouter) private readonly router: DocRouter,
    @Inject(GATEWAY_REDIS) private readonly redis: Redis,
    @Inject(GATEWAY_OPS_REDIS) private readonly opsRedis: Redis,
    @Inject(GATEWAY_DATA_SOURCE) private readonly dataSource: DataSource,
    @Inject(MailQueue) private readonly mail: MailQueue,
    @Inject(GatewayLiveness) private readonly liveness: GatewayLiveness,
  ) {}

  static forRoot(config: GatewayConfig, log: Logger): DynamicModule {
    const keys = redisKeys(config.REDIS_PREFIX);
    return {
      module: GatewayModule,
      // Global: feature modules inject the config, logger, Redis and DataSource made here.
      global: true,
      imports: [
        PassportModule,
        AccountsModule,
        DocumentsModule,
        LimitsModule,
        HistoryModule,
        CommentsModule,
        // /healthz, /readyz and /metrics, at the root (outside /api).
        ObservabilityModule.forRootAsync({
          inject: [GATEWAY_DATA_SOURCE, GATEWAY_REDIS, DocRouter, GatewayMetrics],
          useFactory: (dataSource: DataSource, redis: Redis, router: DocRouter, metrics: GatewayMetrics) => ({
            registry: metrics.registry,
            metricsToken: config.METRICS_TOKEN,
            liveness: () => ({ gatewayId: config.GATEWAY_ID, docServices: router.members.length }),
            // Ready to take sockets: PostgreSQL (roles), Redis (routing, adapter) and
            // at least one doc-service to own documents.
            readiness: [postgresCheck(dataSource), redisCheck(redis), ringCheck(() => router.members.length)],
            onReadinessChange: (ready, failing) =>
              ready ? log.info('gateway ready') : log.warn({ failing }, 'gateway not ready'),
          }),
        }),
      ],
      providers: [
        { provide: GatewayMetrics, useFactory: () => new GatewayMetrics() },
        {
          provide: SocketEventObserver,
          inject: [GatewayMetrics],
          useFactory: (metrics: GatewayMetrics) => new SocketEventObserver(metrics, log),
        },
        { provide: GATEWAY_CONFIG, useValue: config },
        { provide: GATEWAY_LOGGER, useValue: log },
        {
          provide: GATEWAY_REDIS,
          useFactory: () => {
            const redis = new Redis(config.REDIS_URL, { maxRetriesPerRequest: 2, connectionName: 'gateway' });
            redis.on('error', (error: Error) => log.warn({ err: error }, 'redis error'));
            return redis;
          },
        },
        {
          provide: GATEWAY_OPS_REDIS,
          inject: [GATEWAY_REDIS],
          useFactory: (redis: Redis) => {
            // Not auto-pipelined: since requests go on owner links, most turns
            // hold one rate-limit take, and ioredis built a Pipeline for each,
            // about a fifth of the gateway's garbage per operation (bench/README.md,
            // "Where the gateway's garbage comes from"). Requests to owners
            // without a link are one publish per owner per turn already
            // (ChannelBatcher).
            const ops = redis.duplicate({ connectionName: 'gateway-ops', enableAutoPipelining: false });
            ops.on('error', (error: Error) => log.warn({ err: error }, 'redis error (editing path)'));
            return ops;
          },
        },
        {
          provide: GATEWAY_DATA_SOURCE,
          useFactory: () =>
            createDataSource({
              url: config.DATABASE_URL,
              poolSize: config.DB_POOL_SIZE,
              applicationName: `gateway ${config.GATEWAY_ID}`,
            }).initialize(),
        },
        {
          provide: DocRouter,
          inject: [GATEWAY_OPS_REDIS, GatewayMetrics],
          useFactory: async (redis: Redis, metrics: GatewayMetrics) => {
            const router = new DocRouter(
              redis,
              keys,
              {
                gatewayId: config.GATEWAY_ID,
                timeoutMs: config.ROUTE_TIMEOUT_MS,
                linkConnectTimeoutMs: config.OWNER_LINK_CONNECT_TIMEOUT_MS,
                attempts: config.ROUTE_ATTEMPTS,
                membershipPollMs: config.MEMBERSHIP_POLL_MS,
                onRingChange: () => metrics.membership.changes.inc(),
                onSent: (path) => metrics.routed.inc({ path }),
              },
              log,
            );
            await router.start();
            return router;
          },
        },
        {
          provide: DocumentAccess,
          inject: [GATEWAY_DATA_SOURCE],
          useFactory: (dataSource: DataSource) => new DocumentAccess(dataSource),
        },
        {
          // Started (its key set) before any socket is served, so no caret
          // of this gateway is ever stored without its run's key.
          provide: GatewayLiveness,
          inject: [GATEWAY_REDIS],
          useFactory: async (redis: Redis) => {
            const liveness = new GatewayLiveness(
              redis,
              keys,
              config.GATEWAY_ID,
              config.GATEWAY_LIVENESS_TTL_MS,
              log,
            );
            await liveness.start();
            return liveness;
          },
        },
        {
          provide: PresenceService,
          inject: [GATEWAY_REDIS, GatewayLiveness],
          useFactory: (redis: Redis, liveness: GatewayLiveness) =>
            new PresenceService(redis, keys, liveness, config.PRESENCE_PER_SECOND, log),
        },
        {
          provide: AccessRevocations,
          inject: [GATEWAY_REDIS, DocumentAccess, PresenceService],
          useFactory: (redis: Redis, access: DocumentAccess, presence: PresenceService) =>
            new AccessRevocations(redis, keys, access, presence, config.GATEWAY_ID, log),
        },
        { provide: CommentEvents, useFactory: () => new CommentEvents() },
        {
          // Mail jobs for the snapshot worker (mentions, invitations). A connection of
          // its own, which the queue closes: a producer never blocks, so a failing
          // Redis makes an add fail after a few retries instead of waiting forever.
          provide: MailQueue,
          useFactory: () => {
            const queue = new Queue<MailJobData>(QueueName.Mail, {
              connection: { url: config.REDIS_URL, maxRetriesPerRequest: 2, connectionName: 'gateway-mail' },
              prefix: keys.bullmq,
            });
            queue.on('error', (error: Error) => log.warn({ err: error }, 'mail queue error'));
            return new MailQueue(
              queue,
              { attempts: config.MAIL_JOB_ATTEMPTS, backoffMs: config.MAIL_JOB_BACKOFF_MS },
              log,
            );
          },
        },
        JwtStrategy,
        CollabGateway,
      ],
      exports: [
        GATEWAY_CONFIG,
        GATEWAY_LOGGER,
        GATEWAY_REDIS,
        GATEWAY_OPS_REDIS,
        GATEWAY_DATA_SOURCE,
        DocumentAccess,
        CommentEvents,
        MailQueue,
        DocRouter,
        JwtStrategy,
        GatewayMetrics,
      ],
    };
  }

  async onApplicationShutdown(): Promise<void> {
    // The sockets are closed by now (and their leaves sent on this Redis
    // connection before the delete): whatever caret of this run is left is
    // a ghost from this moment.
    await this.liveness.stop();
    await this.router.stop();
    await this.mail.close();
    this.opsRedis.disconnect();
    this.redis.disconnect();
    await this.dataSource.destroy().catch(() => undefined);
  }
}
