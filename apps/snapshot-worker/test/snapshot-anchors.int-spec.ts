import { randomUUID } from 'node:crypto';
import { JobName, QueueName, redisKeys, type SnapshotJobData, snapshotJobId } from '@collab/contracts';
import { type CommentAnchor, transformAnchorThrough } from '@collab/ot';
import {
  createDataSource,
  DocumentEntity,
  insertCommentIfAbsent,
  insertOperations,
  insertThreadIfAbsent,
  listThreads,
  type NewOperation,
  runMigrations,
  UserEntity,
} from '@collab/persistence';
import {
  createTestDatabase,
  createTestRedis,
  deleteKeysWithPrefix,
  seededRandom,
  type TestDatabase,
  type TestRedis,
} from '@collab/testing';
import type { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { type Job, Queue } from 'bullmq';
import { pino } from 'pino';
import Delta from 'quill-delta';
import type { DataSource } from 'typeorm';
import { SnapshotWorkerModule } from '../src/app.module';
import { loadConfig } from '../src/config/env';
import { operationRow } from './operation-rows';

jest.setTimeout(60_000);

let db: TestDatabase;
let infra: TestRedis;
let dataSource: DataSource;
let app: INestApplicationContext;
let queue: Queue<SnapshotJobData>;
let userId: string;

beforeAll(async () => {
  db = await createTestDatabase('snapshot-anchors');
  infra = await createTestRedis('snapshot-anchors');
  dataSource = await createDataSource({ url: db.url, poolSize: 4 }).initialize();
  await runMigrations(dataSource);
  userId = randomUUID();
  await dataSource.getRepository(UserEntity).insert({
    id: userId,
    email: `${userId}@example.test`,
    name: 'Writer',
    passwordHash: 'x',
    color: '#336699',
  });
  const config = loadConfig({
    DATABASE_URL: db.url,
    REDIS_URL: infra.url,
    REDIS_PREFIX: infra.prefix,
    DB_POOL_SIZE: '4',
    SWEEP_INTERVAL_MS: '0',
    OPS_PAGE_SIZE: '17',
    LOG_LEVEL: 'silent',
  });
  app = await NestFactory.createApplicationContext(
    SnapshotWorkerModule.forRoot(config, pino({ level: 'silent' })),
    { logger: false },
  );
  queue = new Queue<SnapshotJobData>(QueueName.Snapshots, {
    connection: { url: infra.url, maxRetriesPerRequest: null },
    prefix: redisKeys(infra.prefix).bullmq,
  });
});

afterAll(async () => {
  await app?.close();
  await queue?.close();
  await dataSource?.destroy();
  await deleteKeysWithPrefix(infra.url, infra.prefix);
  await db?.drop();
  await infra?.cleanup();
});

/** Seeded single-character inserts and deletes after a first line of text; the log as committed. */
async function writeOperations(docId: string, count: number, seed: number): Promise<NewOperation[]> {
  const random = seededRandom(seed);
  let doc = new Delta([{ insert: '\n' }]);
  const rows: NewOperation[] = [];
  for (let version = 1; version <= count; version++) {
    const length = doc.length();
    const op =
      version === 1
        ? new Delta().insert('The quick brown fox jumps over the lazy dog')
        : length > 1 && random(3) === 0
          ? new Delta().retain(random(length - 1)).delete(1 + random(3))
          : new Delta().retain(random(length)).insert(String.fromCharCode(97 + random(26)));
    doc = doc.compose(op);
    rows.push(operationRow(docId, version, op, userId, 'c1'));
  }
  await insertOperations(dataSource.manager, rows);
  return rows;
}

async function addThread(docId: string, anchor: CommentAnchor): Promise<string> {
  const id = randomUUID();
  await insertThreadIfAbsent(dataSource.manager, {
    id,
    documentId: docId,
    anchor,
    quotedText: 'x',
    createdBy: userId,
  });
  await insertCommentIfAbsent(dataSource.manager, {
    id: randomUUID(),
    threadId: id,
    authorId: userId,
    body: 'Hm',
  });
  return id;
}

async function snapshot(docId: string, version: number, suffix = ''): Promise<void> {
  const job: Job = await queue.add(
    JobName.Snapshot,
    { docId, version },
    { jobId: `${snapshotJobId(docId, version)}${suffix}` },
  );
  const deadline = Date.now() + 30_000;
  for (;;) {
    const state = await job.getState();
    if (state === 'completed') return;
    if (state === 'failed' || Date.now() > deadline)
      throw new Error(`snapshot job ${state}: ${job.failedReason}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

async function storedAnchors(docId: string): Promise<Map<string, CommentAnchor>> {
  return new Map((await listThreads(dataSource.manager, docId)).map((t) => [t.id, t.anchor]));
}

function replay(anchor: CommentAnchor, log: NewOperation[], version: number): CommentAnchor {
  const committed = log
    .filter((o) => o.version <= version)
    .map((o) => ({ version: o.version, delta: o.delta as never }));
  return transformAnchorThrough(anchor, committed);
}

describe('a snapshot moves the comment anchors', () => {
  it('stores every thread’s anchor at the snapshot’s version, equal to a replay of the log', async () => {
    const docId = randomUUID();
    await dataSource.getRepository(DocumentEntity).insert({ id: docId, title: 'Doc', ownerId: userId });
    const log = await writeOperations(docId, 130, 11);
    const made: CommentAnchor[] = [
      { from: 4, to: 9, version: 1, detached: false }, // "quick"
      { from: 0, to: 43, version: 1, detached: false }, // all of it
      { from: 16, to: 19, version: 1, detached: false }, // "fox"
      { from: 2, to: 5, version: 30, detached: false },
      { from: 1, to: 2, version: 120, detached: false }, // above the first snapshot: left alone by it
    ];
    const ids: string[] = [];
    for (const anchor of made) ids.push(await addThread(docId, anchor));

    await snapshot(docId, 100);
    let stored = await storedAnchors(docId);
    made.forEach((anchor, i) => {
      const expected = anchor.version < 100 ? replay(anchor, log, 100) : anchor;
      expect(stored.get(ids[i])).toEqual(expected);
    });
    expect(stored.get(ids[0])?.version).toBe(100);

    // A late job for an older version moves nothing back; a newer one moves all on.
    await snapshot(docId, 50);
    expect(await storedAnchors(docId)).toEqual(stored);
    await snapshot(docId, 130);
    stored = await storedAnchors(docId);
    made.forEach((anchor, i) => expect(stored.get(ids[i])).toEqual(replay(anchor, log, 130)));
  });

  it('a thread whose text was all deleted is stored detached', async () => {
    const docId = randomUUID();
    await dataSource.getRepository(DocumentEntity).insert({ id: docId, title: 'Doc', ownerId: userId });
    const rows: NewOperation[] = [[{ insert: 'Hello world' }], [{ retain: 5 }, { delete: 6 }]].map(
      (delta, i) => ({
        documentId: docId,
        version: i + 1,
        delta: delta as NewOperation['delta'],
        userId,
        clientId: 'c1',
        seq: i + 1,
        submissionHash: `h${i + 1}`,
      }),
    );
    await insertOperations(dataSource.manager, rows);
    const id = await addThread(docId, { from: 6, to: 11, version: 1, detached: false });
    await snapshot(docId, 2);
    expect((await storedAnchors(docId)).get(id)).toEqual({ from: 5, to: 5, version: 2, detached: true });
  });
});
