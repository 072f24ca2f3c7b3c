import { createDocument, createTestDatabase, createUser, type TestDatabase } from '@collab/testing';
import type { DataSource, EntityManager } from 'typeorm';
import { findOperationsBySeq, type SeqKey, type StoredOperation } from '../src';
import { migratedDataSource } from './fixtures';

/** See {@link operationsDatabase}. Its fields are set once its beforeAll has run. */
export interface OperationsDatabase {
  db: TestDatabase;
  ds: DataSource;
  /** The user who writes the operations. */
  userId: string;
  /** A new, empty document of `userId`'s. */
  newDocument(): Promise<string>;
  /** How many operations the document's log holds. */
  count(documentId: string): Promise<number>;
}

/**
 * The calling spec file's own migrated database named after `label`, with one
 * user, made in beforeAll and dropped in afterAll.
 */
export function operationsDatabase(label: string): OperationsDatabase {
  const stack = {
    newDocument: () => createDocument(stack.ds, stack.userId),
    async count(documentId: string) {
      const [{ n }]: { n: number }[] = await stack.ds.query(
        'SELECT count(*)::int AS n FROM operations WHERE document_id = $1',
        [documentId],
      );
      return n;
    },
  } as OperationsDatabase;
  beforeAll(async () => {
    stack.db = await createTestDatabase(label);
    stack.ds = await migratedDataSource(stack.db.url);
    stack.userId = await createUser(stack.ds);
  });
  afterAll(async () => {
    await stack.ds?.destroy();
    await stack.db.drop();
  });
  return stack;
}

/** One dedupe lookup (the doc-service batches them; one at a time here). */
export async function findOne(manager: EntityManager, key: SeqKey): Promise<StoredOperation | null> {
  const [found] = await findOperationsBySeq(manager, [key]);
  return found;
}
