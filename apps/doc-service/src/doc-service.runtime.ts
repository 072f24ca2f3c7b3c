import { Membership } from '@collab/cluster';
import { QueueName, redisKeys, type SnapshotJobData } from '@collab/contracts';
import { membershipCheck, postgresCheck, type ReadinessCheck, redisCheck } from '@collab/observability';
import { createDataSource, ensureDatabase, runMigrations } from '@collab/persistence';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { DataSource } from 'typeorm';
import { OpPublisher } from './broadcast/op-publisher';
import type { DocServiceConfig } from './config/env';
import { DocumentActorRegistry } from './documents/document-actor.registry';
import { DocumentStore } from './documents/document-store';
import { InboxService } from './inbox/inbox.service';
import { OwnerLinkServer } from './inbox/owner-link.server';
import { DocServiceMetrics } from './metrics/doc-service-metrics';
import { SnapshotScheduler } from './snapshots/snapshot-scheduler';

/**
 * Everything one doc-service instance runs, wired together, with an ordered
 * start and stop. Start: database (migrations), Redis, inbox, owner links, then membership
 * (only then can gateways route to us). Stop (SIGTERM): leave the membership
 * first, so gateways re-route new operations at once; then flush every actor's
 * group commit and refuse what is left with NOT_OWNER; then close connections.
 */
export class DocServiceRuntime {
  private sweepTimer: NodeJS.Timeout | undefined;
  private stopping: Promise<void> | undefined;
  private queueConnection: Redis | undefined;

  private constructor(
    readonly config: DocServiceConfig,
    readonly dataSource: DataSource,
    readonly redis: Redis,
    readonly membership: Membership,
    readonly registry: DocumentActorRegistry,
    /** The store the actors and the inbox share (its PostgreSQL reads and group commits). */
    readonly store: DocumentStore,
    private readonly inbox: InboxService,
    private readonly links: OwnerLinkServer,
    private readonly queue: Queue<SnapshotJobData>,
    private readonly log: Logger,
    readonly metrics: DocServiceMetrics,
  ) {}

  get instanceId(): string {
    return this.config.INSTANCE_ID;
  }

  static async start(config: DocServiceConfig, log: Logger): Promise<DocServiceRuntime> {
    const keys = redisKeys(config.REDIS_PREFIX);
    await ensureDatabase(config.DATABASE_URL);
    const dataSource = createDataSource({
      url: config.DATABASE_URL,
      poolSize: config.DB_POOL_SIZE,
      applicationName: `doc-service ${config.INSTANCE_ID}`,
    });
    await dataSource.initialize();
    await runMigrations(dataSource);

    // Auto-pipelining writes every command issued in one tick (replies,
    // broadcasts, heartbeats of many actors) in one socket write: on the hot
    // path the cost is the number of writes, not the bytes.
    const redis = new Redis(config.REDIS_URL, { maxRetriesPerRequest: 2, enableAutoPipelining: true });
    redis.on('error', (error: Error) => log.warn({ err: error }, 'redis error'));
    // BullMQ does not close a connection it was given; shutdown() does.
    const queueConnection = redis.duplicate({ maxRetriesPerRequest: null, enableAutoPipelining: false });
    const queue = new Queue<SnapshotJobData>(QueueName.Snapshots, {
      connection: queueConnection,
      prefix: keys.bullmq,
    });
    queue.on('error', (error: Error) => log.warn({ err: error }, 'snapshot queue error'));

    const startedAt = Date.now();
    const membership = new Membership({
      redis,
      keys: keys.membership,
      mode: 'member',
      instanceId: config.INSTANCE_ID,
      ttlMs: config.MEMBERSHIP_TTL_MS,
      intervalMs: config.HEARTBEAT_INTERVAL_MS,
      // MembershipRecord (libs/contracts): gateways find the owner link here.
      record: () => ({
        inbox: keys.inbox(config.INSTANCE_ID),
        startedAt,
        heartbeatAt: Date.now(),
        link: links.published,
      }),
    });
    const metrics = new DocServiceMetrics({
      openActors: () => registry.size,
      members: () => membership.ring.members.length,
    });
    const store = new DocumentStore(dataSource, {
      onStatement: (documents) => metrics.actors.statementDocuments.observe(documents),
      onAnswered: (seconds) => metrics.actors.statementSeconds.observe(seconds),
    });
    const publisher = new OpPublisher(redis, keys.socketIo, (error) =>
      log.warn({ err: error }, 'broadcast not published'),
    );
    const scheduler = new SnapshotScheduler(queue, {
      every: config.SNAPSHOT_EVERY,
      onError: (error, docId, version) => log.warn({ err: error, docId, version }, 'snapshot job not queued'),
    });
    const registry = new DocumentActorRegistry(
      {
        store,
        owns: (docId) => membership.owns(docId),
        publish: (commit) => publisher.publish(commit),
        committed: (docId, from, to, correlationId) => {
          metrics.actors.batchSize.observe(to - from + 1);
          scheduler.committed(docId, from, to, correlationId);
        },
        fenced: (docId, version) => {
          metrics.actors.fenceRefusals.inc();
          log.warn(
            { docId, version },
            'the database fence refused a write: another owner had it; actor dropped',
          );
        },
        loaded: (docId, ms, tail) => {
          metrics.actors.loadSeconds.observe(ms / 1000);
          log.debug({ docId, ms, tail }, 'actor loaded');
        },
      },
      { historyWindow: config.HISTORY_WINDOW, idleMs: config.ACTOR_IDLE_MS },
    );
    membership.on('change', (ring, previous) => {
      log.info({ members: ring.members, previous: previous.members }, 'membership changed');
      metrics.membership.changes.inc();
      registry.rebalance().then(
        (moved) => metrics.membership.moves.inc(moved),
        (error: unknown) => log.warn({ err: error }, 'rebalance failed'),
      );
    });
    membership.on('lapsed', () => {
      log.warn('membership lapsed: dropping every open document');
      registry.dropAll();
    });
    membership.on('failure', (error) => log.warn({ err: error }, 'membership heartbeat failed'));

    // Requests arrive on the owner links (gateways' direct connections) and,
    // from a gateway without a link to this instance, on the Redis inbox.
    const inbox = new InboxService(
      redis,
      registry,
      store,
      {
        channel: keys.inbox(config.INSTANCE_ID),
        replyPrefix: keys.replies(''),
        observe: (request) => metrics.request(request, log),
      },
      log,
    );
    const links: OwnerLinkServer = new OwnerLinkServer(
      inbox,
      { port: config.OWNER_LINK_PORT, advertisedHost: config.OWNER_LINK_HOST },
      log,
    );
    await inbox.start();
    // Listening before the first heartbeat: the record gateways first read has the link.
    await links.start();
    await membership.start();
    const runtime = new DocServiceRuntime(
      config,
      dataSource,
      redis,
      membership,
      registry,
      store,
      inbox,
      links,
      queue,
      log,
      metrics,
    );
    runtime.queueConnection = queueConnection;
    runtime.sweepTimer = setInterval(() => void registry.evictIdle(), Math.min(config.ACTOR_IDLE_MS, 30_000));
    log.info({ instanceId: config.INSTANCE_ID }, 'doc-service started');
    return runtime;
  }

  /** Graceful stop; safe to call more than once. */
  stop(): Promise<void> {
    this.stopping ??= this.shutdown();
    return this.stopping;
  }

  private async shutdown(): Promise<void> {
    clearInterval(this.sweepTimer);
    await this.membership.stop().catch((error: unknown) => this.log.warn({ err: error }, 'leaving failed'));
    await this.registry.shutdown();
    await this.inbox.stop();
    await this.links.stop();
    await this.queue.close().catch(() => undefined);
    this.queueConnection?.disconnect();
    this.redis.disconnect();
    await this.dataSource.destroy().catch(() => undefined);
    this.log.info({ instanceId: this.instanceId }, 'doc-service stopped');
  }

  /** Readiness: the database answers, Redis answers, and this instance is a live member. */
  readinessChecks(): ReadinessCheck[] {
    return [postgresCheck(this.dataSource), redisCheck(this.redis), membershipCheck(this.membership)];
  }
}
