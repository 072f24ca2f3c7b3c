import { createTestDatabase, type TestDatabase } from '@collab/testing';
import type { DataSource } from 'typeorm';
import {
  documentsBehindSnapshots,
  insertSnapshotIfAbsent,
  latestSnapshot,
  type NewSnapshot,
  softDeleteDocument,
} from '../src';
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

describe('documentsBehindSnapshots', () => {
  it('lists the documents whose head passed their newest snapshot by more than the lag, most lagging first', async () => {
    const at = async (head: number, snapshots: number[]) => {
      const docId = await createDocument(ds, userId);
      await ds.query('UPDATE documents SET head_version = $2 WHERE id = $1', [docId, head]);
      for (const version of snapshots) await insertSnapshotIfAbsent(ds.manager, snapshot(docId, version));
      return docId;
    };
    const never = await at(120, []);
    const behind = await at(260, [0, 100]);
    const caughtUp = await at(140, [100]);
    const deleted = await at(900, []);
    await softDeleteDocument(ds.manager, deleted);

    const mine = new Set([never, behind, caughtUp, deleted]);
    const lagging = (await documentsBehindSnapshots(ds.manager, 50, 100)).filter((d) =>
      mine.has(d.documentId),
    );
    expect(lagging).toEqual([
      { documentId: behind, headVersion: 260, snapshotVersion: 100 },
      { documentId: never, headVersion: 120, snapshotVersion: 0 },
    ]);
    expect(await documentsBehindSnapshots(ds.manager, 50, 1)).toEqual([lagging[0]]);
  });
});
