import {
  createDataSource,
  insertDocument,
  insertMember,
  insertUser,
  runMigrations,
  softDeleteDocument,
} from '@collab/persistence';
import { createTestDatabase, type TestDatabase } from '@collab/testing';
import type { DataSource } from 'typeorm';
import { DocumentAccess } from '../src/documents/document-access';

let db: TestDatabase;
let ds: DataSource;
let access: DocumentAccess;

beforeAll(async () => {
  db = await createTestDatabase('gateway_document_access');
  ds = await createDataSource({ url: db.url, poolSize: 4 }).initialize();
  await runMigrations(ds);
  access = new DocumentAccess(ds);
});

afterAll(async () => {
  await ds?.destroy();
  await db.drop();
});

let accounts = 0;
const newUser = () =>
  insertUser(ds.manager, {
    email: `user-${++accounts}@example.test`,
    name: `User ${accounts}`,
    passwordHash: 'x',
    color: '#000000',
  });

/** Counts the role queries sent to PostgreSQL (each still runs). */
function countRoleQueries(): { readonly count: number; restore(): void } {
  const counter = { count: 0, restore: () => spy.mockRestore() };
  const query = ds.manager.query.bind(ds.manager);
  const spy = jest
    .spyOn(ds.manager, 'query')
    .mockImplementation((sql: string, parameters?: Parameters<DataSource['query']>[1]) => {
      if (sql.includes('unnest')) counter.count++;
      return query(sql, parameters);
    });
  return counter;
}

describe('DocumentAccess.roleOf', () => {
  it('answers the reads of one turn with one query, and reads again in the next', async () => {
    const owner = await newUser();
    const viewer = await newUser();
    const stranger = await newUser();
    const docId = await insertDocument(ds.manager, owner, 'Doc');
    const deleted = await insertDocument(ds.manager, owner, 'Deleted');
    await insertMember(ds.manager, docId, viewer, 'viewer');
    await softDeleteDocument(ds.manager, deleted);

    const queries = countRoleQueries();
    try {
      const roles = await Promise.all([
        access.roleOf(owner, docId),
        access.roleOf(viewer, docId),
        access.roleOf(stranger, docId),
        access.roleOf(owner, deleted),
        access.roleOf(viewer.toUpperCase(), docId),
        // Not a UUID: no such row, and no query for it.
        access.roleOf('not-a-uuid', docId),
      ]);
      expect(roles).toEqual(['owner', 'viewer', null, null, 'viewer', null]);
      expect(queries.count).toBe(1);

      // Nothing cached: a role changed since is read as it is now.
      await ds.query(`UPDATE document_members SET role = 'editor' WHERE user_id = $1`, [viewer]);
      expect(await access.roleOf(viewer, docId)).toBe('editor');
      expect(queries.count).toBe(2);
    } finally {
      queries.restore();
    }
  });

  it('rejects every read of a failed batch', async () => {
    const owner = await newUser();
    const docId = await insertDocument(ds.manager, owner, 'Doc');
    const spy = jest.spyOn(ds.manager, 'query').mockRejectedValueOnce(new Error('connection terminated'));
    try {
      const reads = await Promise.allSettled([access.roleOf(owner, docId), access.roleOf(owner, docId)]);
      expect(reads.map((r) => r.status)).toEqual(['rejected', 'rejected']);
    } finally {
      spy.mockRestore();
    }
    expect(await access.roleOf(owner, docId)).toBe('owner');
  });
});
