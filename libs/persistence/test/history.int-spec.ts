import { randomUUID } from 'node:crypto';
import { createTestDatabase, seededRandom, type TestDatabase } from '@collab/testing';
import Delta from 'quill-delta';
import { QueryFailedError, type DataSource } from 'typeorm';
import {
  contentAtVersion,
  insertOperations,
  insertSnapshotIfAbsent,
  listHistory,
  loadOperationsAfter,
  nameVersion,
  type NewOperation,
  VersionUnavailableError,
} from '../src';
import { createDocument, createUser } from '@collab/testing';
import { migratedDataSource } from './fixtures';

let db: TestDatabase;
let ds: DataSource;
let ada: string;
let bob: string;

beforeAll(async () => {
  db = await createTestDatabase('persistence_history');
  ds = await migratedDataSource(db.url, 4);
  ada = await createUser(ds, 'Test User');
  bob = await createUser(ds, 'Bob');
});

afterAll(async () => {
  await ds?.destroy();
  await db.drop();
});

/** Seeded random edits (inserts with formats, deletes, formatting); returns the document at each version. */
function randomHistory(docId: string, count: number, seed: number, authors: string[]) {
  const random = seededRandom(seed);
  let doc = new Delta([{ insert: '\n' }]);
  const versions = [doc];
  const rows: NewOperation[] = [];
  for (let version = 1; version <= count; version++) {
    const length = doc.length();
    const roll = random(10);
    const op =
      length > 2 && roll < 3
        ? new Delta().retain(random(length - 2)).delete(1 + random(2))
        : length > 2 && roll < 4
          ? new Delta().retain(random(length - 2)).retain(1, { italic: true })
          : new Delta()
              .retain(random(length))
              .insert(
                random(8) === 0 ? '\n' : 'ab'.charAt(random(2)),
                random(4) === 0 ? { bold: true } : undefined,
              );
    doc = doc.compose(op);
    versions.push(doc);
    rows.push({
      documentId: docId,
      version,
      delta: op.ops as NewOperation['delta'],
      userId: authors[version % authors.length],
      clientId: 'c',
      seq: version,
      submissionHash: `h${version}`,
    });
  }
  return { versions, rows };
}

async function snapshotAt(docId: string, version: number, doc: Delta): Promise<void> {
  await insertSnapshotIfAbsent(ds.manager, {
    documentId: docId,
    version,
    delta: doc.ops as NewOperation['delta'],
    html: `<p>snapshot ${version}</p>`,
    text: 'x',
  });
}

describe('contentAtVersion', () => {
  it('composes any version between two snapshots from the nearest one below, equal to a replay', async () => {
    const docId = await createDocument(ds, ada);
    const { versions, rows } = randomHistory(docId, 230, 11, [ada]);
    for (let i = 0; i < rows.length; i += 100) await insertOperations(ds.manager, rows.slice(i, i + 100));
    await snapshotAt(docId, 100, versions[100]);
    await snapshotAt(docId, 200, versions[200]);

    for (const version of [0, 1, 57, 99, 101, 150, 199, 201, 230]) {
      const content = await contentAtVersion(ds.manager, docId, version, { pageSize: 7 });
      expect(content.delta).toEqual(versions[version].ops);
      expect(content.text).toBe(
        versions[version].ops.map((op) => (typeof op.insert === 'string' ? op.insert : '')).join(''),
      );
      const base = version >= 200 ? 200 : version >= 100 ? 100 : 0;
      expect(content.baseVersion).toBe(base);
      expect(content.operationsRead).toBe(version - base);
      expect(content.html).toBeUndefined();
    }
    // Exactly at a snapshot: nothing read from the log, the stored HTML comes with it.
    expect(await contentAtVersion(ds.manager, docId, 100)).toMatchObject({
      delta: versions[100].ops,
      html: '<p>snapshot 100</p>',
      operationsRead: 0,
    });
  });

  it('refuses a version above head and a malformed version', async () => {
    const docId = await createDocument(ds, ada);
    const { rows } = randomHistory(docId, 5, 3, [ada]);
    await insertOperations(ds.manager, rows);
    await expect(contentAtVersion(ds.manager, docId, 6)).rejects.toBeInstanceOf(VersionUnavailableError);
    await expect(contentAtVersion(ds.manager, docId, -1)).rejects.toBeInstanceOf(RangeError);
    await expect(contentAtVersion(ds.manager, docId, 1.5)).rejects.toBeInstanceOf(RangeError);
  });
});

describe('restores in the log', () => {
  it('stores restoredFrom with the operation and refuses one at or above its own version', async () => {
    const docId = await createDocument(ds, ada);
    const { rows } = randomHistory(docId, 3, 5, [ada]);
    await insertOperations(ds.manager, rows);
    await insertOperations(ds.manager, [
      {
        documentId: docId,
        version: 4,
        delta: [{ insert: 'r' }],
        userId: ada,
        clientId: 'restore-1',
        seq: 1,
        submissionHash: 'r',
        restoredFrom: 1,
      },
    ]);
    const [stored] = await loadOperationsAfter(ds.manager, docId, 3, 10);
    expect(stored).toMatchObject({ version: 4, restoredFrom: 1 });
    expect((await loadOperationsAfter(ds.manager, docId, 0, 1))[0].restoredFrom).toBeNull();

    await expect(
      insertOperations(ds.manager, [
        {
          documentId: docId,
          version: 5,
          delta: [],
          userId: ada,
          clientId: 'x',
          seq: 1,
          submissionHash: 'x',
          restoredFrom: 5,
        },
      ]),
    ).rejects.toBeInstanceOf(RangeError);
    // The CHECK holds even for a writer that skips the repository.
    const error = await ds
      .query(
        `INSERT INTO operations (document_id, version, delta, user_id, client_id, seq, submission_hash, restored_from)
         VALUES ($1, 5, '[]', $2, 'y', 1, 'y', 9)`,
        [docId, ada],
      )
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(QueryFailedError);
    expect((error as QueryFailedError & { driverError: { constraint: string } }).driverError.constraint).toBe(
      'chk_operations_restored_from',
    );
  });
});

describe('listHistory', () => {
  it('lists snapshots, named versions and restores newest first, with the authors since the previous entry', async () => {
    const docId = await createDocument(ds, ada);
    const { versions, rows } = randomHistory(docId, 120, 9, [ada]);
    // Bob writes 101..110 only.
    for (const row of rows) if (row.version > 100 && row.version <= 110) Object.assign(row, { userId: bob });
    await insertOperations(ds.manager, rows);
    await snapshotAt(docId, 50, versions[50]);
    await snapshotAt(docId, 100, versions[100]);
    await insertOperations(ds.manager, [
      {
        documentId: docId,
        version: 121,
        delta: [{ insert: 'z' }],
        userId: bob,
        clientId: randomUUID(),
        seq: 1,
        submissionHash: 'r',
        restoredFrom: 50,
      },
    ]);
    const named = await nameVersion(ds.manager, docId, 110, 'Draft', ada);
    expect(named).toMatchObject({ version: 110, name: 'Draft', snapshot: false, restoredFrom: null });

    const history = await listHistory(ds.manager, docId, { limit: 10 });
    expect(history.map((m) => [m.version, m.snapshot, m.name, m.restoredFrom])).toEqual([
      [121, false, null, 50],
      [110, false, 'Draft', null],
      [100, true, null, null],
      [50, true, null, null],
    ]);
    expect(history.map((m) => m.authors.map((a) => a.name))).toEqual([
      ['Bob', 'Test User'],
      ['Bob'],
      ['Test User'],
      ['Test User'],
    ]);
    expect(history[0].createdAt).toBeInstanceOf(Date);

    // Paging: the entry below `before`, with its authors counted from the entry before it.
    const page = await listHistory(ds.manager, docId, { before: 110, limit: 1 });
    expect(page.map((m) => [m.version, m.authors.map((a) => a.name)])).toEqual([[100, ['Test User']]]);

    // Renaming keeps one name per version.
    await nameVersion(ds.manager, docId, 110, 'Final', bob);
    expect((await listHistory(ds.manager, docId, { limit: 10 })).filter((m) => m.name !== null)).toHaveLength(
      1,
    );
  });

  it('an empty history is empty', async () => {
    const docId = await createDocument(ds, ada);
    expect(await listHistory(ds.manager, docId, { limit: 5 })).toEqual([]);
  });
});
