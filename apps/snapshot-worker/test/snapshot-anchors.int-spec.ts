import { randomUUID } from 'node:crypto';
import { JobName, QueueName, type SnapshotJobData, snapshotJobId } from '@collab/contracts';
import { type CommentAnchor, transformAnchorThrough } from '@collab/ot';
import {
  DocumentEntity,
  insertCommentIfAbsent,
  insertOperations,
  insertThreadIfAbsent,
  listThreads,
  type NewOperation,
} from '@collab/persistence';
import { createUser, seededRandom } from '@collab/testing';
import type { Job, Queue } from 'bullmq';
import Delta from 'quill-delta';
import type { DataSource } from 'typeorm';
import { operationRow } from './operation-rows';
import { finishedState, WorkerFixture } from './worker-fixture';

jest.setTimeout(60_000);

let fixture: WorkerFixture;
let dataSource: DataSource;
let queue: Queue<SnapshotJobData>;
let userId: string;

beforeAll(async () => {
  fixture = await WorkerFixture.create('snapshot-anchors');
  dataSource = fixture.dataSource;
  userId = await createUser(dataSource);
  await fixture.startWorker({ OPS_PAGE_SIZE: '17' });
  queue = fixture.queue(QueueName.Snapshots);
});

afterAll(async () => {
  await fixture?.close();
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
  if ((await finishedState(job)) === 'failed')
    throw new Error(`snapshot job failed: ${(await queue.getJob(job.id ?? ''))?.failedReason}`);
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
