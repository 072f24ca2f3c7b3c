import { type MailJobData, QueueName, redisKeys, type SnapshotJobData } from '@collab/contracts';
import { ObservabilityModule, postgresCheck, queueCheck } from '@collab/observability';
import { createDataSource, runMigrations } from '@collab/persistence';
import { BullModule, getQueueToken, Processor } from '@nestjs/bullmq';
import {
  type DynamicModule,
  Inject,
  Module,
  type OnApplicationBootstrap,
  type OnModuleDestroy,
} from '@nestjs/common';
import type { Queue, WorkerOptions } from 'bullmq';
import type { Logger } from 'pino';
import type { DataSource } from 'typeorm';
import type { SnapshotWorkerConfig } from './config/env';
import { MailProcessor } from './mail/mail.processor';
import { createMailTransport, type MailTransport } from './mail/mail-transport';
import { WorkerMetrics } from './metrics/worker-metrics';
import { SnapshotBuilder } from './snapshots/snapshot-builder';
import { SnapshotProcessor } from './snapshots/snapshot.processor';
import { SnapshotSweeper } from './snapshots/snapshot-sweeper';

const DATA_SOURCE = Symbol('DATA_SOURCE');
const LOGGER = Symbol('LOGGER');
const MAIL_TRANSPORT = Symbol('MAIL_TRANSPORT');

function workerOptions(config: SnapshotWorkerConfig): Omit<WorkerOptions, 'connection'> {
  return {
    concurrency: config.WORKER_CONCURRENCY,
    lockDuration: config.JOB_LOCK_MS,
    stalledInterval: config.STALLED_CHECK_MS,
    // Attempts and backoff belong to each job (set by its producer); the worker
    // only decides how long finished jobs stay visible.
    removeOnComplete: { age: config.KEEP_COMPLETED_SECONDS, count: config.KEEP_COMPLETED_COUNT },
    removeOnFail: { age: config.KEEP_FAILED_SECONDS, count: config.KEEP_FAILED_COUNT },
  };
}

@Module({})
export class SnapshotWorkerModule implements OnApplicationBootstrap, OnModuleDestroy {
  constructor(
    @Inject(SnapshotProcessor) private readonly processor: SnapshotProcessor,
    @Inject(MailProcessor) private readonly mail: MailProcessor,
    @Inject(MAIL_TRANSPORT) private readonly mailTransport: MailTransport,
    @Inject(SnapshotSweeper) private readonly sweeper: SnapshotSweeper,
    @Inject(DATA_SOURCE) private readonly dataSource: DataSource,
    @Inject(LOGGER) private readonly log: Logger,
  ) {}

  static forRoot(config: SnapshotWorkerConfig, log: Logger): DynamicModule {
    // @Processor options are static metadata; a subclass per module carries this config's.
    @Processor(QueueName.Snapshots, workerOptions(config))
    class ConfiguredSnapshotProcessor extends SnapshotProcessor {}
    // Mail: its own queue and concurrency (sending waits on remote servers, not on PostgreSQL).
    @Processor(QueueName.Mail, { ...workerOptions(config), concurrency: config.MAIL_CONCURRENCY })
    class ConfiguredMailProcessor extends MailProcessor {}

    return {
      module: SnapshotWorkerModule,
      // Global: the observability module's factory injects the database, queue and metrics.
      global: true,
      imports: [
        BullModule.forRoot({
          // BullMQ's blocking worker connection needs maxRetriesPerRequest: null.
          connection: { url: config.REDIS_URL, maxRetriesPerRequest: null },
          prefix: redisKeys(config.REDIS_PREFIX).bullmq,
        }),
        BullModule.registerQueue({ name: QueueName.Snapshots }, { name: QueueName.Mail }),
        // /healthz, /readyz and /metrics on HTTP_PORT.
        ObservabilityModule.forRootAsync({
          inject: [DATA_SOURCE, WorkerMetrics],
          useFactory: (dataSource: DataSource, metrics: WorkerMetrics) => ({
            registry: metrics.registry,
            metricsToken: config.METRICS_TOKEN,
            liveness: () => ({ pid: process.pid }),
            // Ready: PostgreSQL (snapshots) and the queue's Redis connection.
            readiness: [postgresCheck(dataSource), queueCheck(metrics.queued)],
            onReadinessChange: (ready, failing) =>
              ready ? log.info('snapshot worker ready') : log.warn({ failing }, 'snapshot worker not ready'),
          }),
        }),
      ],
      providers: [
        { provide: LOGGER, useValue: log },
        {
          provide: WorkerMetrics,
          inject: [getQueueToken(QueueName.Snapshots), getQueueToken(QueueName.Mail)],
          useFactory: (queue: Queue<SnapshotJobData>, mail: Queue<MailJobData>) =>
            new WorkerMetrics(queue, mail, log),
        },
        { provide: MAIL_TRANSPORT, useFactory: () => createMailTransport(config.SMTP_URL, config.MAIL_FROM) },
        {
          provide: MailProcessor,
          inject: [MAIL_TRANSPORT, WorkerMetrics],
          useFactory: (transport: MailTransport, metrics: WorkerMetrics) =>
            new ConfiguredMailProcessor(transport, config.PUBLIC_APP_URL, log, metrics),
        },
        {
          provide: DATA_SOURCE,
          useFactory: async () => {
            const dataSource = await createDataSource({
              url: config.DATABASE_URL,
              poolSize: config.DB_POOL_SIZE,
            }).initialize();
            await runMigrations(dataSource);
            return dataSource;
          },
        },
        {
          provide: SnapshotProcessor,
          useFactory: (dataSource: DataSource, metrics: WorkerMetrics) =>
            new ConfiguredSnapshotProcessor(
              new SnapshotBuilder(dataSource, config.OPS_PAGE_SIZE),
              log,
              (seconds, outcome) => metrics.job(seconds, outcome),
            ),
          inject: [DATA_SOURCE, WorkerMetrics],
        },
        {
          provide: SnapshotSweeper,
          useFactory: (dataSource: DataSource, queue: Queue<SnapshotJobData>) =>
            new SnapshotSweeper(
              dataSource,
              queue,
              {
                intervalMs: config.SWEEP_INTERVAL_MS,
                lagVersions: config.SWEEP_LAG_VERSIONS,
                every: config.SNAPSHOT_EVERY,
                batch: config.SWEEP_BATCH,
                attempts: config.SWEEP_JOB_ATTEMPTS,
                backoffMs: config.SWEEP_JOB_BACKOFF_MS,
              },
              log,
            ),
          inject: [DATA_SOURCE, getQueueToken(QueueName.Snapshots)],
        },
      ],
      exports: [SnapshotProcessor, MailProcessor, SnapshotSweeper, DATA_SOURCE, WorkerMetrics],
    };
  }

  onApplicationBootstrap(): void {
    this.sweeper.start();
    this.log.info(
      { mailTransport: this.mailTransport.kind },
      this.mailTransport.kind === 'log'
        ? 'snapshot worker started; no SMTP_URL: mails are written to this log'
        : 'snapshot worker started',
    );
  }

  /**
   * Runs before any shutdown hook of @nestjs/bullmq: the worker stops taking
   * jobs and finishes the ones in hand while the database is still open, then
   * the database closes. (A job cut short by a kill instead is retried after
   * its lock expires: BullMQ's stalled-job check.)
   */
  async onModuleDestroy(): Promise<void> {
    await this.sweeper.stop();
    await Promise.all([this.processor.worker.close(), this.mail.worker.close()]);
    this.mailTransport.close();
    await this.dataSource.destroy();
    this.log.info('snapshot worker stopped');
  }
}
