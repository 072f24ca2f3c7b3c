import { randomUUID } from 'node:crypto';
import { JobName, QueueName, type SnapshotJobData, snapshotJobId } from '@collab/contracts';
import { createDocument, createUser, until } from '@collab/testing';
import type { INestApplicationContext } from '@nestjs/common';
import type { Job, Queue } from 'bullmq';
import type Delta from 'quill-delta';
import type { DataSource } from 'typeorm';
import { SnapshotSweeper } from '../src/snapshots/snapshot-sweeper';
import { writeSeededEdits } from './operation-rows';
import { WorkerFixture, type WorkerScope } from './worker-fixture';

jest.setTimeout(60_000);

let fixture: WorkerFixture;
let dataSource: DataSource;
let userId: string;

beforeAll(async () => {
  fixture = await WorkerFixture.create('snapshot-worker');
  dataSource = fixture.dataSource;
  userId = await createUser(dataSource);
});

afterAll(async () => {
  await fixture?.close();
});

/** One test's own key prefix, queue, and worker processes. */
class Scenario {
  private readonly scope: WorkerScope = fixture.scope();
  readonly queue = this.scope.queue(QueueName.Snapshots);

  startWorker(overrides: Record<string, string> = {}): Promise<INestApplicationContext> {
    return this.scope.startWorker({ OPS_PAGE_SIZE: '37', WORKER_CONCURRENCY: '4', ...overrides });
  }

  close(): Promise<void> {
    return this.scope.close();
  }
}

/** Seeded random single-character inserts (some bold) and deletes; returns the document after each version. */
function writeRandomOperations(docId: string, count: number, seed: number): Promise<Delta[]> {
  return writeSeededEdits(dataSource.manager, {
    documentId: docId,
    count,
    seed,
    insert: (random) => ({
      text: String.fromCharCode(97 + random(26)),
      attributes: random(4) === 0 ? { bold: true } : undefined,
    }),
    authorOf: () => ({ userId, clientId: 'c1' }),
  });
}

async function snapshots(
  docId: string,
): Promise<{ version: number; delta: unknown; text: string; html: string }[]> {
  const rows: { version: string; delta: unknown; text: string; html: string }[] = await dataSource.query(
    'SELECT version, delta, text, html FROM snapshots WHERE document_id = $1 ORDER BY version',
    [docId],
  );
  return rows.map((r) => ({ ...r, version: Number(r.version) }));
}

async function waitFinished(jobs: Job[], timeoutMs = 30_000): Promise<string[]> {
  let states: string[] = [];
  await until(
    async () => {
      states = await Promise.all(jobs.map((job) => job.getState()));
      return states.every((s) => s === 'completed' || s === 'failed');
    },
    { what: `${jobs.length} jobs to finish`, timeoutMs, everyMs: 50 },
  );
  return states;
}

function addSnapshotJobs(
  queue: Queue<unknown>,
  docId: string,
  versions: number[],
  idSuffix = '',
): Promise<Job[]> {
  return Promise.all(
    versions.map((version) =>
      queue.add(JobName.Snapshot, { docId, version } satisfies SnapshotJobData, {
        jobId: `${snapshotJobId(docId, version)}${idSuffix}`,
        attempts: 3,
        backoff: { type: 'exponential', delay: 100 },
      }),
    ),
  );
}

function textOf(delta: Delta): string {
  return delta.ops.map((op) => (typeof op.insert === 'string' ? op.insert : '')).join('');
}

const MULTIPLES = Array.from({ length: 10 }, (_, i) => (i + 1) * 50);

describe('snapshot worker', () => {
  let scenario: Scenario;
  beforeEach(() => {
    scenario = new Scenario();
  });
  afterEach(async () => {
    await scenario.close();
  });

  it('after 500 operations, the snapshot at each multiple of 50 equals a replay up to it', async () => {
    const docId = await createDocument(dataSource, userId);
    const expected = await writeRandomOperations(docId, 500, 42);
    await scenario.startWorker();
    const states = await waitFinished(await addSnapshotJobs(scenario.queue, docId, MULTIPLES));
    expect(states.every((s) => s === 'completed')).toBe(true);
    const rows = await snapshots(docId);
    expect(rows.map((r) => r.version)).toEqual(MULTIPLES);
    for (const row of rows) {
      expect(row.delta).toEqual(expected[row.version].ops);
      expect(row.text).toBe(textOf(expected[row.version]));
      expect(row.html.startsWith('<p>')).toBe(true);
    }
  });

  it('the same job delivered twice leaves exactly one snapshot per version', async () => {
    const docId = await createDocument(dataSource, userId);
    const expected = await writeRandomOperations(docId, 150, 7);
    await scenario.startWorker();
    const first = await addSnapshotJobs(scenario.queue, docId, [50, 100, 150]);
    const again = await addSnapshotJobs(scenario.queue, docId, [50, 100, 150], '-redelivered');
    const states = await waitFinished([...first, ...again]);
    expect(states.every((s) => s === 'completed')).toBe(true);
    const rows = await snapshots(docId);
    expect(rows.map((r) => r.version)).toEqual([50, 100, 150]);
    for (const row of rows) expect(row.delta).toEqual(expected[row.version].ops);
  });

  it('two workers racing on the same jobs leave one correct snapshot per version', async () => {
    const docId = await createDocument(dataSource, userId);
    const expected = await writeRandomOperations(docId, 300, 99);
    await Promise.all([scenario.startWorker(), scenario.startWorker()]);
    // Each version twice under different ids, so both workers can hold the same (document, version).
    const jobs = [
      ...(await addSnapshotJobs(scenario.queue, docId, [50, 100, 150, 200, 250, 300], '-a')),
      ...(await addSnapshotJobs(scenario.queue, docId, [50, 100, 150, 200, 250, 300], '-b')),
    ];
    const states = await waitFinished(jobs);
    expect(states.every((s) => s === 'completed')).toBe(true);
    const rows = await snapshots(docId);
    expect(rows.map((r) => r.version)).toEqual([50, 100, 150, 200, 250, 300]);
    for (const row of rows) expect(row.delta).toEqual(expected[row.version].ops);
  });

  it('a poison payload fails at once, without retries', async () => {
    await scenario.startWorker();
    const job = await scenario.queue.add(
      JobName.Snapshot,
      { docId: 'not-a-uuid', version: -3 },
      { attempts: 5, backoff: { type: 'fixed', delay: 10 } },
    );
    expect(await waitFinished([job])).toEqual(['failed']);
    const failed = await scenario.queue.getJob(job.id ?? '');
    expect(failed?.attemptsMade).toBe(1);
    expect(failed?.failedReason).toMatch(/BAD_REQUEST/);
  });

  it('a job above head fails retryably; a job for a missing document completes without a snapshot', async () => {
    const docId = await createDocument(dataSource, userId);
    await writeRandomOperations(docId, 60, 3);
    await scenario.startWorker();
    const [ahead] = await addSnapshotJobs(scenario.queue, docId, [100]);
    const missing = randomUUID();
    const [gone] = await addSnapshotJobs(scenario.queue, missing, [50]);
    expect(await waitFinished([ahead, gone])).toEqual(['failed', 'completed']);
    expect((await scenario.queue.getJob(ahead.id ?? ''))?.attemptsMade).toBe(3);
    expect(await snapshots(docId)).toEqual([]);
    expect(await snapshots(missing)).toEqual([]);
  });

  it('the sweeper queues the newest multiple for a document with no snapshot and 120 versions', async () => {
    const docId = await createDocument(dataSource, userId);
    await writeRandomOperations(docId, 120, 5);
    const app = await scenario.startWorker({ WORKER_CONCURRENCY: '1' });
    const queued = await app.get(SnapshotSweeper).sweep();
    expect(queued).toContainEqual({ docId, version: 100 });
    const job = await scenario.queue.getJob(snapshotJobId(docId, 100));
    expect(job?.data).toEqual({ docId, version: 100 });
    if (!job) throw new Error('no job');
    await waitFinished([job]);
    expect((await snapshots(docId)).map((r) => r.version)).toEqual([100]);
    // Caught up: the next sweep does not queue it again.
    expect((await app.get(SnapshotSweeper).sweep()).filter((d) => d.docId === docId)).toEqual([]);
  });
});
