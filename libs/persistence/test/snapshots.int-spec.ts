import { createTestDatabase, type TestDatabase } from '@collab/testing';
import type { DataSource } from 'typeorm';
import { insertSnapshotIfAbsent, latestSnapshot, type NewSnapshot } from '../src';
import { createDocument, createUser } from '@collab/testing';
import { migratedDataSource } from './fixtures';

let db: TestDatabase;
let ds: DataSource;
let userId: string;

beforeAll(async () => {
  db = await createTestDatabase('persistence_snapshots');
  ds = await migratedDataSource(db.url);
  userId = await createUser(ds);
});

afterAll(async () => {
  await ds?.destroy();
  await db.drop();
});

function snapshot(documentId: string, version: number, text = `text at ${version}`): NewSnapshot {
  return {
    documentId,
    version,
    delta: [{ insert: `${text} 🎉\n` }],
    html: `<p>${text} 🎉</p>`,
    text: `${text} 🎉\n`,
  };
}

describe('insertSnapshotIfAbsent', () => {
  it('inserts once; a second delivery of the same job changes nothing', async () => {
    const docId = await createDocument(ds, userId);
    expect(await insertSnapshotIfAbsent(ds.manager, snapshot(docId, 50))).toBe(true);
    expect(await insertSnapshotIfAbsent(ds.manager, snapshot(docId, 50, 'a different rendering'))).toBe(
      false,
    );

    const rows: { n: number }[] = await ds.query(
      'SELECT count(*)::int AS n FROM snapshots WHERE document_id = $1',
      [docId],
    );
    expect(rows[0].n).toBe(1);
    expect(await latestSnapshot(ds.manager, docId)).toMatchObject(snapshot(docId, 50));
  });

  it('lets exactly one of several racing workers insert', async () => {
    const docId = await createDocument(ds, userId);
    const results = await Promise.all(
      Array.from({ length: 8 }, () => insertSnapshotIfAbsent(ds.manager, snapshot(docId, 100))),
    );
    expect(results.filter(Boolean)).toHaveLength(1);
  });
});

describe('latestSnapshot', () => {
  it('returns the newest snapshot, or the newest at or below a version', async () => {
    const docId = await createDocument(ds, userId);
    expect(await latestSnapshot(ds.manager, docId)).toBeNull();
    for (const version of [0, 50, 100, 150])
      await insertSnapshotIfAbsent(ds.manager, snapshot(docId, version));
    // Another document's newer snapshot is not ours.
    const otherDoc = await createDocument(ds, userId);
    await insertSnapshotIfAbsent(ds.manager, snapshot(otherDoc, 500));

    const newest = await latestSnapshot(ds.manager, docId);
    expect(newest).toMatchObject({ documentId: docId, version: 150 });
    expect(newest?.createdAt).toBeInstanceOf(Date);
    expect((await latestSnapshot(ds.manager, docId, 149))?.version).toBe(100);
    expect((await latestSnapshot(ds.manager, docId, 100))?.version).toBe(100);
    expect((await latestSnapshot(ds.manager, docId, 0))?.version).toBe(0);
    expect((await latestSnapshot(ds.manager, docId, 10_000))?.version).toBe(150);
  });
});
