import { randomUUID } from 'node:crypto';
import { createTestDatabase, type TestDatabase } from '@collab/testing';
import type { DataSource } from 'typeorm';
import {
  createDataSource,
  FenceViolationError,
  FenceViolationReason,
  headVersion,
  insertOperationGroups,
  insertOperations,
  loadOperationsAfter,
  MissingDocumentError,
} from '../src';
import { createDocument, createUser } from '@collab/testing';
import { migratedDataSource, ops } from './fixtures';

let db: TestDatabase;
let ds: DataSource;
let userId: string;

beforeAll(async () => {
  db = await createTestDatabase('persistence_operation_groups');
  ds = await migratedDataSource(db.url);
  userId = await createUser(ds);
});

afterAll(async () => {
  await ds?.destroy();
  await db.drop();
});

const newDocument = async (): Promise<string> => await createDocument(ds, userId);

async function log(documentId: string): Promise<string[]> {
  const rows = await loadOperationsAfter(ds.manager, documentId, 0, 100);
  return rows.map((r) => `${r.version}:${JSON.stringify(r.delta)}`);
}

/** Every statement sent while `run` runs, by its first word. */
async function statementsOf(run: () => Promise<unknown>): Promise<string[]> {
  const statements: string[] = [];
  const logger = ds.logger;
  ds.logger = Object.assign(Object.create(logger) as typeof logger, {
    logQuery: (query: string) => void statements.push(query.trim().split(/\s+/)[0]),
  });
  try {
    await run();
  } finally {
    ds.logger = logger;
  }
  return statements;
}

describe('insertOperationGroups', () => {
  it('commits several documents in one statement, each head moved to its last version', async () => {
    const [a, b, c] = await Promise.all([newDocument(), newDocument(), newDocument()]);
    await insertOperations(ds.manager, ops(b, userId, 1, 2));
    let outcomes: unknown[] = [];
    const statements = await statementsOf(async () => {
      outcomes = await insertOperationGroups(ds.manager, [
        ops(a, userId, 1, 3),
        ops(b, userId, 3, 3),
        ops(c, userId, 1, 1),
      ]);
    });
    expect(statements).toEqual(['WITH']);
    expect(outcomes).toEqual([null, null, null]);
    expect(await Promise.all([a, b, c].map((d) => headVersion(ds.manager, d)))).toEqual([3, 3, 1]);
    expect(await log(a)).toEqual(['1:[{"insert":"v1"}]', '2:[{"insert":"v2"}]', '3:[{"insert":"v3"}]']);
    expect(await log(b)).toHaveLength(3);
    expect(await log(c)).toEqual(['1:[{"insert":"v1"}]']);
  });

  it('refuses only the document whose head moved, and writes nothing of it', async () => {
    const [a, b, c] = await Promise.all([newDocument(), newDocument(), newDocument()]);
    // Another owner wrote version 1 of b.
    await insertOperations(ds.manager, ops(b, userId, 1, 1, 'other-owner'));
    const outcomes = await insertOperationGroups(ds.manager, [
      ops(a, userId, 1, 2),
      ops(b, userId, 1, 2),
      ops(c, userId, 1, 1),
    ]);
    expect(outcomes[0]).toBeNull();
    expect(outcomes[1]).toBeInstanceOf(FenceViolationError);
    expect((outcomes[1] as FenceViolationError).reason).toBe(FenceViolationReason.HEAD_MOVED);
    expect((outcomes[1] as FenceViolationError).versions).toEqual({ first: 1, last: 2 });
    expect(outcomes[2]).toBeNull();
    expect(await log(b)).toEqual(['1:[{"insert":"v1"}]']);
    expect(await headVersion(ds.manager, b)).toBe(1);
    expect(await log(a)).toHaveLength(2);
  });

  it('names a missing document and commits the others', async () => {
    const a = await newDocument();
    const missing = randomUUID();
    const outcomes = await insertOperationGroups(ds.manager, [
      ops(missing, userId, 1, 1),
      ops(a, userId, 1, 1),
    ]);
    expect(outcomes[0]).toBeInstanceOf(MissingDocumentError);
    expect(outcomes[1]).toBeNull();
    expect(await headVersion(ds.manager, a)).toBe(1);
  });

  it('after a unique violation in one batch, writes every batch alone: only that one is refused', async () => {
    const [a, b] = await Promise.all([newDocument(), newDocument()]);
    await insertOperations(ds.manager, ops(b, userId, 1, 1, 'client-b'));
    // b's next batch reuses (client-b, seq 1), already in the log: the grouped
    // statement fails as a whole, and each batch goes again on its own.
    const reused = ops(b, userId, 2, 2, 'client-b').map((r) => ({ ...r, seq: 1 }));
    const outcomes = await insertOperationGroups(ds.manager, [ops(a, userId, 1, 2), reused]);
    expect(outcomes[0]).toBeNull();
    expect((outcomes[1] as FenceViolationError).reason).toBe(FenceViolationReason.CLIENT_SEQ_TAKEN);
    expect(await log(a)).toHaveLength(2);
    expect(await log(b)).toHaveLength(1);
    expect(await headVersion(ds.manager, b)).toBe(1);
  });

  it('fails every batch with the error of a failed connection, without trying each again', async () => {
    const [a, b] = await Promise.all([newDocument(), newDocument()]);
    const gone = await createDataSource({ url: db.url, poolSize: 1 }).initialize();
    await gone.destroy();
    const outcomes = await insertOperationGroups(gone.manager, [ops(a, userId, 1, 1), ops(b, userId, 1, 1)]);
    // One failure for all: trying each batch again would give each its own.
    expect(outcomes).toHaveLength(2);
    expect(outcomes[0]).toBeInstanceOf(Error);
    expect(outcomes[1]).toBe(outcomes[0]);
    expect(outcomes[0]).not.toBeInstanceOf(FenceViolationError);
    expect(await headVersion(ds.manager, a)).toBe(0);
  });

  it('fence: two groups racing for the same documents never fork a history', async () => {
    const docs = await Promise.all(Array.from({ length: 8 }, () => newDocument()));
    // Two writers, each believing it owns every document at head 0, in opposite
    // orders (the lock order is fixed inside, so they wait rather than deadlock).
    const [first, second] = await Promise.all([
      insertOperationGroups(
        ds.manager,
        docs.map((d) => ops(d, userId, 1, 2, 'writer-1')),
      ),
      insertOperationGroups(
        ds.manager,
        [...docs].reverse().map((d) => ops(d, userId, 1, 1, 'writer-2')),
      ),
    ]);
    const won = [...first.map((o) => o === null), ...second.map((o) => o === null)];
    // Each document went to exactly one writer.
    expect(won.filter(Boolean)).toHaveLength(docs.length);
    for (const [i, d] of docs.entries()) {
      const firstWon = first[i] === null;
      const secondWon = second[docs.length - 1 - i] === null;
      expect(firstWon !== secondWon).toBe(true);
      expect(await headVersion(ds.manager, d)).toBe(firstWon ? 2 : 1);
      expect(await log(d)).toHaveLength(firstWon ? 2 : 1);
    }
  });

  it('refuses malformed input before touching the database', async () => {
    const a = await newDocument();
    await expect(
      insertOperationGroups(ds.manager, [ops(a, userId, 1, 1), ops(a, userId, 2, 2)]),
    ).rejects.toThrow(RangeError);
    await expect(insertOperationGroups(ds.manager, [[]])).rejects.toThrow(RangeError);
    await expect(insertOperationGroups(ds.manager, [])).resolves.toEqual([]);
    expect(await headVersion(ds.manager, a)).toBe(0);
  });
});
