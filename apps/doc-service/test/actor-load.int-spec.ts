import { seededRandom } from '@collab/testing';
import { insertOperations, insertSnapshotIfAbsent, type NewOperation } from '@collab/persistence';
import Delta from 'quill-delta';
import type { DocServiceRuntime } from '../src/doc-service.runtime';
import { type DocServiceHarness, useDocServiceSuite } from './harness';

jest.setTimeout(120_000);

let h: DocServiceHarness;
let userId: string;
useDocServiceSuite('doc-service-load', (suite) => ({ h, userId } = suite));

const OPERATIONS = 20_000;
const SNAPSHOT_AT = 19_950;

/** Writes `count` seeded single-character inserts and deletes; returns the document at `at` and at the end. */
async function writeHistory(
  docId: string,
  count: number,
  at: number,
): Promise<{ atSnapshot: Delta; head: Delta }> {
  const random = seededRandom(20_000);
  let doc = new Delta([{ insert: '\n' }]);
  let atSnapshot = doc;
  let rows: NewOperation[] = [];
  for (let version = 1; version <= count; version++) {
    const length = doc.length();
    const op =
      length > 1 && random(4) === 0
        ? new Delta().retain(random(length - 1)).delete(1)
        : new Delta().retain(random(length)).insert(String.fromCharCode(97 + random(26)));
    doc = doc.compose(op);
    if (version === at) atSnapshot = doc;
    rows.push({
      documentId: docId,
      version,
      delta: op.ops as NewOperation['delta'],
      userId,
      clientId: 'seed',
      seq: version,
      submissionHash: `h${version}`,
    });
    if (rows.length === 2000) {
      await insertOperations(h.dataSource.manager, rows);
      rows = [];
    }
  }
  if (rows.length > 0) await insertOperations(h.dataSource.manager, rows);
  return { atSnapshot, head: doc };
}

interface Reads {
  operationRows: number;
  snapshotQueries: number;
}

/** Counts, on the instance's own connection pool, the operation rows and snapshot queries it reads. */
function countReads(runtime: DocServiceRuntime): Reads & { stop: () => void } {
  const reads = { operationRows: 0, snapshotQueries: 0, stop: () => spy.mockRestore() };
  const manager = runtime.dataSource.manager;
  const query = manager.query.bind(manager);
  const spy = jest
    .spyOn(manager, 'query')
    .mockImplementation(async (sql: string, parameters?: Parameters<typeof query>[1]) => {
      const result: unknown = await query(sql, parameters);
      if (/FROM operations/i.test(sql) && Array.isArray(result)) reads.operationRows += result.length;
      if (/FROM snapshots/i.test(sql)) reads.snapshotQueries += 1;
      return result;
    });
  return reads;
}

async function load(runtime: DocServiceRuntime, docId: string) {
  const reply = await h.request(runtime, { type: 'load', docId });
  if (!reply.ok) throw new Error(reply.error.message);
  return reply.result as { version: number; content: Delta['ops'] };
}

describe('loading an actor', () => {
  it('reads the newest snapshot and only the operations after it, for a document with 20,000 operations', async () => {
    const docId = await h.createDocument(userId);
    const { atSnapshot, head } = await writeHistory(docId, OPERATIONS, SNAPSHOT_AT);
    await insertSnapshotIfAbsent(h.dataSource.manager, {
      documentId: docId,
      version: SNAPSHOT_AT,
      delta: atSnapshot.ops as NewOperation['delta'],
      html: '',
      text: '',
    });

    const runtime = await h.startInstance();
    const reads = countReads(runtime);
    const loaded = await load(runtime, docId);
    reads.stop();
    expect(loaded.version).toBe(OPERATIONS);
    expect(loaded.content).toEqual(head.ops);
    expect(reads.snapshotQueries).toBe(1);
    expect(reads.operationRows).toBe(OPERATIONS - SNAPSHOT_AT);
    await h.stopInstance(runtime);
  });

  it('without a snapshot the same load reads the whole log (what the snapshot saves)', async () => {
    const docId = await h.createDocument(userId);
    const { head } = await writeHistory(docId, OPERATIONS, SNAPSHOT_AT);
    const runtime = await h.startInstance();
    const reads = countReads(runtime);
    const loaded = await load(runtime, docId);
    reads.stop();
    expect(loaded.content).toEqual(head.ops);
    expect(reads.operationRows).toBe(OPERATIONS);
    await h.stopInstance(runtime);
  });
});
