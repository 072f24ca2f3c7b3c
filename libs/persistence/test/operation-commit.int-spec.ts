import { QueryFailedError } from 'typeorm';
import {
  DocumentEntity,
  FenceViolationError,
  headVersion,
  insertOperations,
  MissingDocumentError,
} from '../src';
import { ops } from './fixtures';
import { operationsDatabase } from './operations-database';

const stack = operationsDatabase('persistence_operation_commit');
const { newDocument, count } = stack;

describe('insertOperations', () => {
  it('writes a group commit in one statement and moves the head in the same transaction', async () => {
    const docId = await newDocument();
    const before = await stack.ds.getRepository(DocumentEntity).findOneByOrFail({ id: docId });
    expect(before.headVersion).toBe(0);

    // Every statement the group commit sends, as TypeORM's logger sees it.
    const statements: string[] = [];
    const logger = stack.ds.logger;
    stack.ds.logger = Object.assign(Object.create(logger) as typeof logger, {
      logQuery: (query: string) => void statements.push(query.trim().split(/\s+/)[0]),
    });
    try {
      await expect(insertOperations(stack.ds.manager, ops(docId, stack.userId, 1, 3))).resolves.toEqual({
        headVersion: 3,
      });
    } finally {
      stack.ds.logger = logger;
    }
    // One statement (a CTE moving the head and appending the rows): one round trip, one commit.
    expect(statements).toEqual(['WITH']);
    await expect(insertOperations(stack.ds.manager, ops(docId, stack.userId, 4, 4))).resolves.toEqual({
      headVersion: 4,
    });

    const after = await stack.ds.getRepository(DocumentEntity).findOneByOrFail({ id: docId });
    expect(after.headVersion).toBe(4);
    expect(after.updatedAt.getTime()).toBeGreaterThanOrEqual(before.updatedAt.getTime());
    expect(await headVersion(stack.ds.manager, docId)).toBe(4);
    expect(await count(docId)).toBe(4);
  });

  it('leaves neither the operations nor the head behind when the surrounding transaction rolls back', async () => {
    const docId = await newDocument();
    const rollback = new Error('rollback');
    await expect(
      stack.ds.transaction(async (tx) => {
        await insertOperations(tx, ops(docId, stack.userId, 1, 2));
        // Inside the transaction both are visible together...
        expect(await headVersion(tx, docId)).toBe(2);
        // ...and outside neither is.
        expect(await headVersion(stack.ds.manager, docId)).toBe(0);
        expect(await count(docId)).toBe(0);
        throw rollback;
      }),
    ).rejects.toBe(rollback);
    expect(await headVersion(stack.ds.manager, docId)).toBe(0);
    expect(await count(docId)).toBe(0);
  });

  it('rethrows failures that are not a lost race, untouched', async () => {
    // No such document: not a lost race (re-routing cannot help), so not a fence violation.
    const missing = await insertOperations(
      stack.ds.manager,
      ops('00000000-0000-4000-8000-000000000000', stack.userId, 1, 1),
    ).catch((e: unknown) => e);
    expect(missing).toBeInstanceOf(MissingDocumentError);
    expect(missing).not.toBeInstanceOf(FenceViolationError);

    // jsonb refuses NUL in strings (libs/ot validation refuses it before it gets here).
    const docId = await newDocument();
    const nul = await insertOperations(stack.ds.manager, [
      {
        documentId: docId,
        version: 1,
        userId: stack.userId,
        clientId: 'c',
        seq: 1,
        submissionHash: 'h',
        delta: [{ insert: 'a\u0000b' }],
      },
    ]).catch((e: unknown) => e);
    expect(nul).toBeInstanceOf(QueryFailedError);
    expect(nul).not.toBeInstanceOf(FenceViolationError);
    expect(await count(docId)).toBe(0);
    expect(await headVersion(stack.ds.manager, docId)).toBe(0);
  });

  it('refuses malformed batches before touching the database', async () => {
    const docId = await newDocument();
    await expect(insertOperations(stack.ds.manager, [])).rejects.toThrow(RangeError);
    await expect(
      insertOperations(stack.ds.manager, [
        ...ops(docId, stack.userId, 1, 1),
        ...ops(docId, stack.userId, 3, 3),
      ]),
    ).rejects.toThrow(/consecutive/);
    await expect(insertOperations(stack.ds.manager, ops(docId, stack.userId, 0, 0))).rejects.toThrow(
      RangeError,
    );
    const otherDoc = await newDocument();
    await expect(
      insertOperations(stack.ds.manager, [
        ...ops(docId, stack.userId, 1, 1),
        ...ops(otherDoc, stack.userId, 2, 2),
      ]),
    ).rejects.toThrow(/one document/);
    expect(await count(docId)).toBe(0);
  });
});
