import { randomUUID } from 'node:crypto';
import { QueueName, type SnapshotJobData } from '@collab/contracts';
import {
  decodeDeletions,
  decodeSegments,
  DocumentEntity,
  foldAttribution,
  initialAttribution,
  insertSnapshotIfAbsent,
  loadOperationsAfter,
  type NewOperation,
  type StoredSegments,
} from '@collab/persistence';
import { createUser, until } from '@collab/testing';
import type { Queue } from 'bullmq';
import { pino } from 'pino';
import type Delta from 'quill-delta';
import type { DataSource } from 'typeorm';
import { SnapshotBuilder } from '../src/snapshots/snapshot-builder';
import { SnapshotSweeper } from '../src/snapshots/snapshot-sweeper';
import { writeSeededEdits } from './operation-rows';
import { WorkerFixture } from './worker-fixture';

jest.setTimeout(60_000);

let fixture: WorkerFixture;
let dataSource: DataSource;
let queue: Queue<SnapshotJobData>;
const users: string[] = [];
const silent = pino({ level: 'silent' });
/** Waits on the worker: it folds whole documents. */
const SLOW = { timeoutMs: 30_000, everyMs: 50 };

beforeAll(async () => {
  fixture = await WorkerFixture.create('attribution_backfill');
  dataSource = fixture.dataSource;
  for (const name of ['Ada', 'Bruno']) users.push(await createUser(dataSource, name));
  queue = fixture.queue(QueueName.Snapshots);
});

afterAll(async () => {
  await fixture?.close();
});

/** A document of `count` seeded edits by two users; returns its content after each version. */
async function writeDocument(count: number, seed: number): Promise<{ docId: string; contents: Delta[] }> {
  const docId = randomUUID();
  await dataSource.getRepository(DocumentEntity).insert({ id: docId, title: 'Doc', ownerId: users[0] });
  const contents = await writeSeededEdits(dataSource.manager, {
    documentId: docId,
    count,
    seed,
    insert: (random) => ({ text: 'xy'.slice(random(2)) }),
    authorOf: (random) => {
      const author = random(2);
      return { userId: users[author], clientId: `c${author}` };
    },
  });
  return { docId, contents };
}

/** Snapshots as the worker made them before attribution existed: content only. */
async function oldSnapshots(docId: string, contents: Delta[], versions: number[]): Promise<void> {
  for (const version of versions)
    await insertSnapshotIfAbsent(dataSource.manager, {
      documentId: docId,
      version,
      delta: contents[version].ops as NewOperation['delta'],
      html: '<p>old</p>',
      text: 'old',
    });
}

async function attributedVersions(docId: string): Promise<number[]> {
  const rows: { version: string }[] = await dataSource.query(
    'SELECT version FROM snapshot_attributions WHERE document_id = $1 ORDER BY version',
    [docId],
  );
  return rows.map((r) => Number(r.version));
}

function sweeper(batch: number): SnapshotSweeper {
  return new SnapshotSweeper(
    dataSource,
    queue,
    { intervalMs: 0, lagVersions: 50, every: 50, batch, attempts: 3, backoffMs: 100 },
    silent,
  );
}

describe('the sweeper backfills attribution for snapshots made before it existed', () => {
  it('queues them in batches, once each, and the worker stores exactly the attribution a replay gives', async () => {
    // Three old documents (newest snapshot unattributed), in document id order.
    const old = await Promise.all(
      [
        { count: 120, snapshots: [50, 100] },
        { count: 60, snapshots: [50] },
        { count: 70, snapshots: [50] },
      ].map(async ({ count, snapshots }, seed) => {
        const doc = await writeDocument(count, seed);
        await oldSnapshots(doc.docId, doc.contents, snapshots);
        return { ...doc, newest: snapshots.at(-1) };
      }),
    );
    old.sort((a, b) => a.docId.localeCompare(b.docId));
    // Left alone: a deleted document, one already attributed, one with no snapshot yet.
    const deleted = await writeDocument(60, 4);
    await oldSnapshots(deleted.docId, deleted.contents, [50]);
    await dataSource.query('UPDATE documents SET deleted_at = now() WHERE id = $1', [deleted.docId]);
    const attributed = await writeDocument(60, 5);
    expect(await new SnapshotBuilder(dataSource, 1000).build(attributed.docId, 50)).toBe('created');
    const fresh = await writeDocument(20, 6);

    // No worker yet: the first sweep queues the first batch of two, by document id.
    const first = sweeper(2);
    expect(await first.sweep()).toEqual([
      { docId: old[0].docId, version: old[0].newest },
      { docId: old[1].docId, version: old[1].newest },
    ]);
    // Two jobs wait (a full batch): the backfill yields to them.
    expect(await first.sweep()).toEqual([]);
    // Another replica: with a batch of two it yields as well; with three it queues
    // all three, and the two already waiting collapse with theirs (same job ids).
    expect(await sweeper(2).sweep()).toEqual([]);
    expect(await sweeper(3).sweep()).toHaveLength(3);
    expect(await queue.getWaitingCount()).toBe(3);

    await fixture.startWorker({ OPS_PAGE_SIZE: '37' });
    await until(
      async () => {
        const done = await Promise.all(old.map(async (d) => (await attributedVersions(d.docId)).length > 0));
        return done.every(Boolean);
      },
      { what: 'the worker to attribute the three documents', ...SLOW },
    );
    // Nothing is missing any more: the first sweeper's next pass (after the
    // second document: nothing left, so it starts over) and the one after queue nothing.
    expect(await first.sweep()).toEqual([]);
    expect(await first.sweep()).toEqual([]);
    expect(await queue.getJobCounts('completed', 'failed')).toEqual({ completed: 3, failed: 0 });

    for (const doc of old) expect(await attributedVersions(doc.docId)).toEqual([doc.newest]);
    expect(await attributedVersions(deleted.docId)).toEqual([]);
    expect(await attributedVersions(attributed.docId)).toEqual([50]);
    expect(await attributedVersions(fresh.docId)).toEqual([]);

    for (const { docId } of old) {
      const [row]: { version: string; inserted_chars: string; segments: StoredSegments; html: string }[] =
        await dataSource.query(
          `SELECT a.version, a.inserted_chars, a.segments, s.html
             FROM snapshot_attributions a JOIN snapshots s USING (document_id, version)
            WHERE a.document_id = $1`,
          [docId],
        );
      // The old snapshot itself is kept as it was.
      expect(row.html).toBe('<p>old</p>');
      const version = Number(row.version);
      const operations = await loadOperationsAfter(dataSource.manager, docId, 0, version);
      const [{ created_at }]: { created_at: Date }[] = await dataSource.query(
        'SELECT created_at FROM documents WHERE id = $1',
        [docId],
      );
      const replay = foldAttribution(
        initialAttribution(created_at.getTime()),
        operations.map((o) => ({ delta: o.delta, userId: o.userId, time: o.createdAt.getTime() })),
      );
      expect({
        inserted: Number(row.inserted_chars),
        segments: decodeSegments(row.segments),
        deletions: decodeDeletions(row.segments),
      }).toEqual(replay);
    }
  });

  it('walks the documents a batch at a time, resuming after the last one, and starts over at the end', async () => {
    const docs = (await Promise.all([writeDocument(60, 7), writeDocument(60, 8), writeDocument(60, 9)])).sort(
      (a, b) => a.docId.localeCompare(b.docId),
    );
    for (const d of docs) await oldSnapshots(d.docId, d.contents, [50]);
    const walker = sweeper(1);
    const drained = () =>
      until(async () => (await queue.getWaitingCount()) === 0, { what: 'the queue to drain', ...SLOW });
    // The worker of the test above is running: each job is taken before the next sweep.
    for (const d of docs) {
      await drained();
      expect(await walker.sweep()).toEqual([{ docId: d.docId, version: 50 }]);
    }
    await until(
      async () =>
        (await Promise.all(docs.map(async (d) => (await attributedVersions(d.docId)).length))).every(
          (n) => n === 1,
        ),
      { what: 'all to be attributed', ...SLOW },
    );
    // Past the last one: an empty page, then from the start: nothing is missing.
    expect(await walker.sweep()).toEqual([]);
    expect(await walker.sweep()).toEqual([]);
  });
});
