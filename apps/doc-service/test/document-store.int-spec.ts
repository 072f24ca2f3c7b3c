import {
  createDataSource,
  insertDocument,
  insertOperations,
  insertUser,
  runMigrations,
} from '@collab/persistence';
import { createTestDatabase, type TestDatabase } from '@collab/testing';
import type { DataSource } from 'typeorm';
import { DocumentStore } from '../src/documents/document-store';

let db: TestDatabase;
let ds: DataSource;
let store: DocumentStore;
let userId: string;
let docId: string;

beforeAll(async () => {
  db = await createTestDatabase('doc_service_store');
  ds = await createDataSource({ url: db.url, poolSize: 4 }).initialize();
  await runMigrations(ds);
  userId = await insertUser(ds.manager, {
    email: 'store@example.test',
    name: 'Store',
    passwordHash: 'x',
    color: '#000000',
  });
  docId = await insertDocument(ds.manager, userId, 'Doc');
  await insertOperations(
    ds.manager,
    [1, 2, 3].map((version) => ({
      documentId: docId,
      version,
      delta: [{ insert: `v${version}` }],
      userId,
      clientId: 'c1',
      seq: version,
      submissionHash: `h${version}`,
    })),
  );
  store = new DocumentStore(ds);
});

afterAll(async () => {
  await ds?.destroy();
  await db.drop();
});

/** Counts the dedupe queries sent to PostgreSQL (each still runs). */
function countLookupQueries(): { readonly count: number; restore(): void } {
  const counter = { count: 0, restore: () => spy.mockRestore() };
  const query = ds.manager.query.bind(ds.manager);
  const spy = jest
    .spyOn(ds.manager, 'query')
    .mockImplementation((sql: string, parameters?: Parameters<DataSource['query']>[1]) => {
      if (sql.includes('JOIN operations o ON')) counter.count++;
      return query(sql, parameters);
    });
  return counter;
}

describe('DocumentStore.findBySeq', () => {
  it('answers the lookups of one turn with one query, each with its own row or null', async () => {
    const queries = countLookupQueries();
    try {
      const found = await Promise.all([
        store.findBySeq(docId, userId, 'c1', 2),
        store.findBySeq(docId, userId, 'c1', 9),
        store.findBySeq(docId, userId, 'c2', 1),
        store.findBySeq(docId, userId, 'c1', 2),
        store.findBySeq(docId, userId, 'c1', 3),
      ]);
      expect(found.map((row) => row?.version ?? null)).toEqual([2, null, null, 2, 3]);
      expect(found[0]).toMatchObject({ submissionHash: 'h2', delta: [{ insert: 'v2' }] });
      expect(queries.count).toBe(1);

      // A later turn reads again (nothing is cached: a dedupe record is never older than its lookup).
      expect((await store.findBySeq(docId, userId, 'c1', 1))?.version).toBe(1);
      expect(queries.count).toBe(2);
    } finally {
      queries.restore();
    }
  });
});
