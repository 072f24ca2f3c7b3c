import { createUser } from '@collab/testing';
import {
  createDataSource,
  FenceViolationError,
  FenceViolationReason,
  findOperationsBySeq,
  insertOperations,
  type NewOperation,
} from '../src';
import { ops } from './fixtures';
import { findOne, operationsDatabase } from './operations-database';

const stack = operationsDatabase('persistence_operation_dedupe');
const { newDocument, count } = stack;

describe('insertOperations', () => {
  it('(client_id, seq) is unique per document, across writers and restarts', async () => {
    const docId = await newDocument();
    const first: NewOperation = {
      documentId: docId,
      version: 1,
      userId: stack.userId,
      clientId: 'c1',
      seq: 7,
      submissionHash: 'h',
      delta: [{ insert: 'a' }],
    };
    await insertOperations(stack.ds.manager, [first]);

    // A fresh pool stands in for a restarted instance: the dedupe record is in the table, not in memory.
    const restarted = await createDataSource({ url: stack.db.url, poolSize: 1 }).initialize();
    try {
      const found = await findOne(restarted.manager, {
        documentId: docId,
        userId: stack.userId,
        clientId: 'c1',
        seq: 7,
      });
      expect(found).toMatchObject({
        version: 1,
        clientId: 'c1',
        seq: 7,
        submissionHash: 'h',
        delta: [{ insert: 'a' }],
        userId: stack.userId,
      });
      expect(found?.createdAt).toBeInstanceOf(Date);
      expect(
        await findOne(restarted.manager, { documentId: docId, userId: stack.userId, clientId: 'c1', seq: 8 }),
      ).toBeNull();
      expect(
        await findOne(restarted.manager, { documentId: docId, userId: stack.userId, clientId: 'c2', seq: 7 }),
      ).toBeNull();

      const error = await insertOperations(restarted.manager, [
        { ...first, version: 2, delta: [{ insert: 'b' }] },
      ]).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(FenceViolationError);
      expect((error as FenceViolationError).reason).toBe(FenceViolationReason.CLIENT_SEQ_TAKEN);
      expect((error as FenceViolationError).constraint).toBe('uq_operations_client_seq');
    } finally {
      await restarted.destroy();
    }

    // A duplicate inside one batch is refused as a whole.
    const batch = await insertOperations(stack.ds.manager, [
      {
        documentId: docId,
        version: 2,
        userId: stack.userId,
        clientId: 'c2',
        seq: 1,
        submissionHash: 'h',
        delta: [{ insert: 'x' }],
      },
      {
        documentId: docId,
        version: 3,
        userId: stack.userId,
        clientId: 'c2',
        seq: 1,
        submissionHash: 'h',
        delta: [{ insert: 'y' }],
      },
    ]).catch((e: unknown) => e);
    expect((batch as FenceViolationError).reason).toBe(FenceViolationReason.CLIENT_SEQ_TAKEN);
    expect(await count(docId)).toBe(1);

    // The same (client_id, seq) in another document is a different operation.
    const otherDoc = await newDocument();
    await expect(insertOperations(stack.ds.manager, [{ ...first, documentId: otherDoc }])).resolves.toEqual({
      headVersion: 1,
    });

    // Another user replaying this (client_id, seq) (clientIds are visible to everyone in the
    // room) gets a separate dedupe record: it cannot make the owner's operation look like a resend.
    const intruder = await createUser(stack.ds);
    await expect(
      insertOperations(stack.ds.manager, [
        { ...first, version: 2, userId: intruder, delta: [{ insert: 'z' }] },
      ]),
    ).resolves.toEqual({ headVersion: 2 });
    expect(
      await findOne(stack.ds.manager, { documentId: docId, userId: intruder, clientId: 'c1', seq: 7 }),
    ).toMatchObject({ version: 2 });
    expect(
      await findOne(stack.ds.manager, { documentId: docId, userId: stack.userId, clientId: 'c1', seq: 7 }),
    ).toMatchObject({
      version: 1,
    });
  });

  it('looks up many (client_id, seq) pairs in one query, each answer in its place', async () => {
    const [a, b] = await Promise.all([newDocument(), newDocument()]);
    await insertOperations(stack.ds.manager, ops(a, stack.userId, 1, 3, 'ca'));
    await insertOperations(stack.ds.manager, ops(b, stack.userId, 1, 1, 'cb'));
    const key = (documentId: string, clientId: string, seq: number, user = stack.userId) => ({
      documentId,
      userId: user,
      clientId,
      seq,
    });
    const found = await findOperationsBySeq(stack.ds.manager, [
      key(a, 'ca', 2),
      key(a, 'ca', 9),
      key(b, 'cb', 1),
      key(b, 'ca', 1),
      key(a, 'ca', 2),
      key(a, 'ca', 1, await createUser(stack.ds)),
    ]);
    expect(found.map((f) => f && [f.documentId, f.clientId, f.seq, f.version])).toEqual([
      [a, 'ca', 2, 2],
      null,
      [b, 'cb', 1, 1],
      null,
      [a, 'ca', 2, 2],
      null,
    ]);
    expect(await findOperationsBySeq(stack.ds.manager, [])).toEqual([]);
  });
});
