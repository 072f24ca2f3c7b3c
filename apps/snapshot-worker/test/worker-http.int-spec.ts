import { randomUUID } from 'node:crypto';
import { JobName, QueueName, redisKeys, type SnapshotJobData, snapshotJobId } from '@collab/contracts';
import { createLogger } from '@collab/observability';
import {
  createTestDatabase,
  createTestRedis,
  type TestDatabase,
  type TestRedis,
  until,
} from '@collab/testing';
import type { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Queue } from 'bullmq';
import { SnapshotWorkerModule } from '../src/app.module';
import { loadConfig } from '../src/config/env';

jest.setTimeout(60_000);

let db: TestDatabase;
let infra: TestRedis;
let app: INestApplication;
let url: string;
let queue: Queue<SnapshotJobData>;

beforeAll(async () => {
  db = await createTestDatabase('worker-http');
  infra = await createTestRedis('worker-http');
  const config = loadConfig({
    DATABASE_URL: db.url,
    REDIS_URL: infra.url,
    REDIS_PREFIX: infra.prefix,
    DB_POOL_SIZE: '2',
    SWEEP_INTERVAL_MS: '0',
    HTTP_PORT: '0',
  });
  const log = createLogger({ service: 'snapshot-worker', instance: 'test', level: 'silent' });
  app = await NestFactory.create(SnapshotWorkerModule.forRoot(config, log), {
    logger: ['error'],
    abortOnError: false,
  });
  await app.listen(0, '127.0.0.1');
  url = `http://127.0.0.1:${(app.getHttpServer().address() as { port: number }).port}`;
  queue = new Queue<SnapshotJobData>(QueueName.Snapshots, {
    connection: { url: infra.url, maxRetriesPerRequest: null },
    prefix: redisKeys(infra.prefix).bullmq,
  });
});

afterAll(async () => {
  await app?.close();
  await queue?.close();
  await db?.drop();
  await infra?.cleanup();
});

async function sample(series: string): Promise<number> {
  const text = await (await fetch(`${url}/metrics`)).text();
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? 0 : Number(line.slice(series.length + 1));
}

describe('snapshot worker HTTP', () => {
  it('answers liveness and readiness (database and queue)', async () => {
    const live = await fetch(`${url}/healthz`);
    expect(live.status).toBe(200);
    expect(await live.json()).toMatchObject({ ok: true });
    const ready = await fetch(`${url}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({
      status: 'ok',
      info: { database: { status: 'up' }, queue: { status: 'up' } },
    });
  });

  it('exposes queue depth by state and the duration of each job by outcome', async () => {
    const docId = randomUUID();
    await queue.add(
      JobName.Snapshot,
      { docId, version: 50 },
      { jobId: snapshotJobId(docId, 50), delay: 60_000 },
    );
    expect(await sample('collab_queue_jobs{queue="snapshots",state="delayed"}')).toBe(1);
    expect(await sample('collab_queue_jobs{queue="snapshots",state="waiting"}')).toBe(0);

    // A job for a document that does not exist completes without a snapshot.
    const other = randomUUID();
    await queue.add(
      JobName.Snapshot,
      { docId: other, version: 50, correlationId: 'c-1' },
      { jobId: snapshotJobId(other, 50) },
    );
    const series = 'collab_job_duration_seconds_count{queue="snapshots",outcome="document-gone"}';
    await until(async () => (await sample(series)) >= 1, { what: `${series} counted`, everyMs: 50 });
    expect(await sample(series)).toBe(1);
    const text = await (await fetch(`${url}/metrics`)).text();
    expect(text).toContain('collab_nodejs_eventloop_lag_seconds ');
    expect(text).not.toContain(other);
  });
});
