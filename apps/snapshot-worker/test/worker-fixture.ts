import { type QueueName, redisKeys } from '@collab/contracts';
import { createDataSource, runMigrations } from '@collab/persistence';
import {
  createTestDatabase,
  createTestRedis,
  deleteKeysWithPrefix,
  scrapeMetric,
  type TestDatabase,
  type TestRedis,
  until,
} from '@collab/testing';
import type { INestApplication, INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { type ConnectionOptions, type Job, Queue } from 'bullmq';
import { type Logger, pino } from 'pino';
import type { DataSource } from 'typeorm';
import { SnapshotWorkerModule } from '../src/app.module';
import { loadConfig, type SnapshotWorkerConfig } from '../src/config/env';

const silent = pino({ level: 'silent' });

/** A worker serving its health endpoints and /metrics on a free port of 127.0.0.1. */
export interface HttpWorker {
  readonly app: INestApplication;
  /** `http://127.0.0.1:<port>` */
  readonly url: string;
  /** The value of one series of its /metrics (`name{label="value"}`), as {@link scrapeMetric} reads it. */
  metric(series: string): Promise<number>;
}

/**
 * Queues and snapshot workers on one Redis key prefix, and their cleanup:
 * a test file's own prefix (the {@link WorkerFixture}), or one test's
 * ({@link WorkerFixture.scope}) when its tests must not see each other's jobs.
 */
export class WorkerScope {
  private readonly apps: INestApplicationContext[] = [];
  private readonly queues: Queue[] = [];

  constructor(
    protected readonly databaseUrl: string,
    protected readonly redisUrl: string,
    readonly prefix: string,
  ) {}

  /** BullMQ's connection and prefix for this scope, for a test's own Worker or Queue. */
  get bullmq(): { connection: ConnectionOptions; prefix: string } {
    // BullMQ's blocking worker connection needs maxRetriesPerRequest: null.
    return {
      connection: { url: this.redisUrl, maxRetriesPerRequest: null },
      prefix: redisKeys(this.prefix).bullmq,
    };
  }

  /** A producer on queue `name`, as the gateway and doc-services make them; closed by {@link close}. */
  queue<T = unknown>(name: QueueName): Queue<T> {
    const queue = new Queue<T>(name, this.bullmq);
    this.queues.push(queue);
    return queue;
  }

  /** The worker's configuration on this scope, the sweeper off; `env` adds to it or overrides it. */
  config(env: Record<string, string> = {}): SnapshotWorkerConfig {
    return loadConfig({
      DATABASE_URL: this.databaseUrl,
      REDIS_URL: this.redisUrl,
      REDIS_PREFIX: this.prefix,
      DB_POOL_SIZE: '4',
      SWEEP_INTERVAL_MS: '0',
      LOG_LEVEL: 'silent',
      ...env,
    });
  }

  /** A worker as production boots it (its module, its config), without HTTP. */
  async startWorker(env: Record<string, string> = {}): Promise<INestApplicationContext> {
    const app = await NestFactory.createApplicationContext(
      SnapshotWorkerModule.forRoot(this.config(env), silent),
      { logger: false },
    );
    this.apps.push(app);
    return app;
  }

  /** A worker with its HTTP endpoints; `log` receives what it logs (silent unless given). */
  async startHttpWorker(env: Record<string, string> = {}, log: Logger = silent): Promise<HttpWorker> {
    const app = await NestFactory.create(
      SnapshotWorkerModule.forRoot(this.config({ HTTP_PORT: '0', ...env }), log),
      { logger: false, abortOnError: false },
    );
    this.apps.push(app);
    await app.listen(0, '127.0.0.1');
    const url = `http://127.0.0.1:${(app.getHttpServer().address() as { port: number }).port}`;
    return {
      app,
      url,
      metric: (series) => scrapeMetric(url, series),
    };
  }

  /** Stops the workers, closes the queues and deletes every key under the prefix. */
  async close(): Promise<void> {
    await Promise.all(this.apps.splice(0).map((app) => app.close()));
    await Promise.all(this.queues.splice(0).map((queue) => queue.close()));
    await deleteKeysWithPrefix(this.redisUrl, this.prefix);
  }
}

/**
 * What a snapshot-worker integration spec starts from: a private PostgreSQL
 * database, migrated, with a DataSource on it, and a private Redis key prefix
 * (libs/testing), plus the queues and workers of {@link WorkerScope}.
 * `close` (in afterAll) stops and drops all of it.
 */
export class WorkerFixture extends WorkerScope {
  private scopes = 0;

  private constructor(
    private readonly db: TestDatabase,
    private readonly redis: TestRedis,
    readonly dataSource: DataSource,
  ) {
    super(db.url, redis.url, redis.prefix);
  }

  static async create(label: string): Promise<WorkerFixture> {
    const db = await createTestDatabase(label);
    try {
      const redis = await createTestRedis(label);
      const dataSource = await createDataSource({ url: db.url, poolSize: 4 }).initialize();
      await runMigrations(dataSource);
      return new WorkerFixture(db, redis, dataSource);
    } catch (error) {
      // No fixture to close in afterAll: drop the database here.
      await db.drop();
      throw error;
    }
  }

  /** One test's own prefix (this file's with `-<n>` added) on the same database. */
  scope(): WorkerScope {
    return new WorkerScope(this.databaseUrl, this.redisUrl, `${this.prefix.slice(0, -1)}-${++this.scopes}:`);
  }

  override async close(): Promise<void> {
    await super.close();
    await this.dataSource.destroy();
    await this.db.drop();
    await this.redis.cleanup();
  }
}

/** Waits until `job` has completed or failed, and says which. */
export async function finishedState(job: Job, timeoutMs = 30_000): Promise<'completed' | 'failed'> {
  let state = '';
  await until(
    async () => {
      state = await job.getState();
      return state === 'completed' || state === 'failed';
    },
    { what: `job ${job.id} to finish`, timeoutMs, everyMs: 25 },
  );
  return state as 'completed' | 'failed';
}
