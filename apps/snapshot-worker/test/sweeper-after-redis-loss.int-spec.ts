import { createDataSource, insertOperations, type NewOperation, runMigrations } from '@collab/persistence';
import {
  createDocument,
  createTestDatabase,
  createUser,
  type PrivateRedis,
  startPrivateRedis,
  type TestDatabase,
  until,
} from '@collab/testing';
import type { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { pino } from 'pino';
import type { DataSource } from 'typeorm';
import { SnapshotWorkerModule } from '../src/app.module';
import { loadConfig } from '../src/config/env';

jest.setTimeout(90_000);

let db: TestDatabase;
let redis: PrivateRedis;
let dataSource: DataSource;
let worker: INestApplicationContext | undefined;
let userId: string;

beforeAll(async () => {
  db = await createTestDatabase('sweeper_redis_loss');
  // A private Redis: this test restarts it with every key lost.
  redis = await startPrivateRedis();
  dataSource = await createDataSource({ url: db.url, poolSize: 4 }).initialize();
  await runMigrations(dataSource);
  userId = await createUser(dataSource);
});

afterAll(async () => {
  await worker?.close();
  await dataSource?.destroy();
  await db?.drop();
  await redis?.destroy();
});

/** Appends single-letter inserts from version `from` to `to`, as the doc-service would have (no jobs queued). */
async function append(docId: string, from: number, to: number): Promise<void> {
  const rows: NewOperation[] = [];
  for (let version = from; version <= to; version++) {
    rows.push({
      documentId: docId,
      version,
      delta: [
        { retain: version - 1 },
        { insert: String.fromCharCode(97 + (version % 26)) },
      ] as NewOperation['delta'],
      userId,
      clientId: 'c1',
      seq: version,
      submissionHash: `h${version}`,
    });
  }
  for (let i = 0; i < rows.length; i += 100)
    await insertOperations(dataSource.manager, rows.slice(i, i + 100));
}

async function newestSnapshot(docId: string): Promise<{ version: number; text: string } | null> {
  const rows: { version: string; text: string }[] = await dataSource.query(
    'SELECT version, text FROM snapshots WHERE document_id = $1 ORDER BY version DESC LIMIT 1',
    [docId],
  );
  return rows[0] ? { version: Number(rows[0].version), text: rows[0].text } : null;
}

const expectedText = (version: number) =>
  Array.from({ length: version }, (_, i) => String.fromCharCode(97 + ((i + 1) % 26))).join('');

describe('the sweeper after Redis lost every job', () => {
  it('re-queues the snapshots a document is missing, before and after a Redis restart', async () => {
    const docId = await createDocument(dataSource, userId);
    // 120 versions and no job ever queued: as if the jobs went with a Redis restart.
    await append(docId, 1, 120);
    const config = loadConfig({
      DATABASE_URL: db.url,
      REDIS_URL: redis.url,
      REDIS_PREFIX: 'sweeper_loss:',
      HTTP_PORT: '0',
      DB_POOL_SIZE: '4',
      SWEEP_INTERVAL_MS: '200',
      SWEEP_LAG_VERSIONS: '50',
      SWEEP_JOB_BACKOFF_MS: '100',
      LOG_LEVEL: 'silent',
    });
    worker = await NestFactory.createApplicationContext(
      SnapshotWorkerModule.forRoot(config, pino({ level: 'silent' })),
      { logger: false },
    );
    await until(async () => (await newestSnapshot(docId))?.version === 100, {
      what: 'the first sweep snapshots version 100',
      timeoutMs: 30_000,
      everyMs: 100,
    });

    // Redis loses everything; the log grows to 220 meanwhile.
    await redis.restart();
    await append(docId, 121, 220);
    await until(async () => (await newestSnapshot(docId))?.version === 200, {
      what: 'a sweep after the restart snapshots version 200',
      timeoutMs: 45_000,
      everyMs: 100,
    });
    expect((await newestSnapshot(docId))?.text).toBe(`${expectedText(200)}\n`);
  });
});
