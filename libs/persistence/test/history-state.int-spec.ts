import { createTestDatabase, type TestDatabase } from '@collab/testing';
import type { DataSource } from 'typeorm';
import {
  contentAtVersion,
  historyStateAtVersion,
  insertOperations,
  insertSnapshotIfAbsent,
  storeHistoryState,
  VersionUnavailableError,
} from '../src';
import { createDocument, createUser } from '@collab/testing';
import { migratedDataSource, ops } from './fixtures';

let db: TestDatabase;
let ds: DataSource;
let userId: string;

beforeAll(async () => {
  db = await createTestDatabase('persistence_history_state');
  ds = await migratedDataSource(db.url, 4);
  userId = await createUser(ds);
});

afterAll(async () => {
  await ds?.destroy();
  await db.drop();
});

describe('historyStateAtVersion', () => {
  it('checks the version as contentAtVersion does, before reading anything', async () => {
    const docId = await createDocument(ds, userId);
    for (const bad of [-1, 1.5, Number.NaN]) {
      await expect(historyStateAtVersion(ds.manager, docId, bad)).rejects.toBeInstanceOf(RangeError);
      await expect(contentAtVersion(ds.manager, docId, bad)).rejects.toBeInstanceOf(RangeError);
    }
    await expect(historyStateAtVersion(ds.manager, docId, 1)).rejects.toBeInstanceOf(VersionUnavailableError);
  });

  it('folds from the nearest stored state to the same content contentAtVersion composes', async () => {
    const docId = await createDocument(ds, userId);
    await insertOperations(ds.manager, ops(docId, userId, 1, 9));
    const atFour = await historyStateAtVersion(ds.manager, docId, 4, { pageSize: 3 });
    expect(atFour).toMatchObject({ version: 4, baseVersion: 0, stored: false });
    expect(atFour.content).toEqual((await contentAtVersion(ds.manager, docId, 4)).delta);
    // Every character ever inserted, the document's initial newline included.
    expect(atFour.attribution.inserted).toBe('v1v2v3v4\n'.length);

    // A snapshot with its attribution at 4: reads from there start at it.
    await insertSnapshotIfAbsent(ds.manager, {
      documentId: docId,
      version: 4,
      delta: atFour.content,
      html: '',
      text: '',
    });
    await storeHistoryState(ds.manager, docId, atFour);
    expect(await historyStateAtVersion(ds.manager, docId, 4)).toMatchObject({
      baseVersion: 4,
      stored: true,
      content: atFour.content,
    });
    const atNine = await historyStateAtVersion(ds.manager, docId, 9);
    expect(atNine).toMatchObject({ baseVersion: 4, stored: false });
    expect(atNine.content).toEqual((await contentAtVersion(ds.manager, docId, 9)).delta);
    expect(atNine.attribution).toEqual(
      (await historyStateAtVersion(ds.manager, docId, 9, { pageSize: 2 })).attribution,
    );
  });
});
