import { type ChildProcess, spawn } from 'node:child_process';
import path from 'node:path';
import { JobName, QueueName, redisKeys, type SnapshotJobData, snapshotJobId } from '@collab/contracts';
import { createDataSource, insertOperations, type NewOperation, runMigrations } from '@collab/persistence';
import {
  createDocument,
  createTestDatabase,
  createTestRedis,
  createUser,
  seededRandom,
  type TestDatabase,
  type TestRedis,
  until,
} from '@collab/testing';
import { type Job, Queue } from 'bullmq';
import Delta from 'quill-delta';
import type { DataSource } from 'typeorm';

jest.setTimeout(120_000);

/** The built worker, run as in production (the nx test target builds it first). */
const WORKER_MAIN = path.resolve(__dirname, '../dist/main.js');
const OPERATIONS = 6000;
const VERSIONS = [3000, 6000];

let db: TestDatabase;
let infra: TestRedis;
let dataSource: DataSource;
let queue: Queue<SnapshotJobData>;
const children: ChildProcess[] = [];

beforeAll(async () => {
  db = await createTestDatabase('worker-crash');
  infra = await createTestRedis('worker-crash');
  dataSource = await createDataSource({ url: db.url, poolSize: 4 }).initialize();
  await runMigrations(dataSource);
  queue = new Queue<SnapshotJobData>(QueueName.Snapshots, {
    connection: { url: infra.url, maxRetriesPerRequest: null },
    prefix: redisKeys(infra.prefix).bullmq,
  });
});

afterAll(async () => {
  for (const child of children)
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  await queue?.close();
  await dataSource?.destroy();
  await db?.drop();
  await infra?.cleanup();
});

/** A worker process; locks lapse after 1 s without renewal and stalled jobs are looked for every 500 ms. */
function startWorker(opsPageSize: number): { child: ChildProcess; exited: Promise<NodeJS.Signals | null> } {
  const child = spawn(process.execPath, [WORKER_MAIN], {
    env: {
      PATH: process.env['PATH'],
      DATABASE_URL: db.url,
      REDIS_URL: infra.url,
      REDIS_PREFIX: infra.prefix,
      // Health endpoints on a free port: several workers (and test runs) share this host.
      HTTP_PORT: '0',
      WORKER_CONCURRENCY: '2',
      OPS_PAGE_SIZE: String(opsPageSize),
      JOB_LOCK_MS: '1000',
      STALLED_CHECK_MS: '500',
      SWEEP_INTERVAL_MS: '0',
      LOG_LEVEL: 'silent',
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  children.push(child);
  const exited = new Promise<NodeJS.Signals | null>((resolve) =>
    child.once('exit', (_code, signal) => resolve(signal)),
  );
  return { child, exited };
}

async function seedDocument(): Promise<{ docId: string; expected: Map<number, Delta> }> {
  const userId = await createUser(dataSource);
  const docId = await createDocument(dataSource, userId);
  const random = seededRandom(7);
  let doc = new Delta([{ insert: '\n' }]);
  const expected = new Map<number, Delta>();
  let rows: NewOperation[] = [];
  for (let version = 1; version <= OPERATIONS; version++) {
    const op = new Delta().retain(random(doc.length())).insert(String.fromCharCode(97 + random(26)));
    doc = doc.compose(op);
    if (VERSIONS.includes(version)) expected.set(version, doc);
    rows.push({
      documentId: docId,
      version,
      delta: op.ops as NewOperation['delta'],
      userId,
      clientId: 'c',
      seq: version,
      submissionHash: `h${version}`,
    });
    if (rows.length === 1000) {
      await insertOperations(dataSource.manager, rows);
      rows = [];
    }
  }
  return { docId, expected };
}

async function snapshotRows(docId: string): Promise<{ version: number; delta: unknown }[]> {
  const rows: { version: string; delta: unknown }[] = await dataSource.query(
    'SELECT version, delta FROM snapshots WHERE document_id = $1 ORDER BY version',
    [docId],
  );
  return rows.map((r) => ({ version: Number(r.version), delta: r.delta }));
}

describe('a worker killed in the middle of a job', () => {
  it('SIGKILL mid-build: another worker recovers the stalled jobs, leaving exactly one correct snapshot per version', async () => {
    const { docId, expected } = await seedDocument();
    const jobs: Job[] = await Promise.all(
      VERSIONS.map((version) =>
        queue.add(
          JobName.Snapshot,
          { docId, version },
          { jobId: snapshotJobId(docId, version), attempts: 3 },
        ),
      ),
    );

    // Reading two operations per query, each build takes thousands of round trips: time to kill it mid-way.
    const doomed = startWorker(2);
    await until(async () => (await Promise.all(jobs.map((j) => j.getState()))).every((s) => s === 'active'), {
      what: 'both jobs to be active in the first worker',
      timeoutMs: 30_000,
    });
    doomed.child.kill('SIGKILL');
    expect(await doomed.exited).toBe('SIGKILL');
    // Killed in the middle: nothing was stored yet, and the jobs still look active (their locks have to lapse).
    expect(await snapshotRows(docId)).toEqual([]);
    expect(await Promise.all(jobs.map((j) => j.getState()))).toEqual(['active', 'active']);

    const rescuer = startWorker(1000);
    await until(
      async () => (await Promise.all(jobs.map((j) => j.getState()))).every((s) => s === 'completed'),
      { what: 'the stalled jobs to complete in the second worker', timeoutMs: 60_000 },
    );
    const rows = await snapshotRows(docId);
    expect(rows.map((r) => r.version)).toEqual(VERSIONS);
    for (const row of rows) expect(row.delta).toEqual(expected.get(row.version)?.ops);

    rescuer.child.kill('SIGTERM');
    expect(await rescuer.exited).toBe('SIGTERM');
  });
});
