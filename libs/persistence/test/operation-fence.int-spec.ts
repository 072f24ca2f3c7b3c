import {
  createDataSource,
  FenceViolationError,
  FenceViolationReason,
  headVersion,
  insertOperations,
  loadOperationsAfter,
} from '../src';
import { ops } from './fixtures';
import { operationsDatabase } from './operations-database';

const stack = operationsDatabase('persistence_operation_fence');
const { newDocument, count } = stack;

describe('insertOperations', () => {
  it('fence: of N=10 concurrent writers of the same version, exactly one commits', async () => {
    const docId = await newDocument();
    const N = 10;
    for (let version = 1; version <= 3; version++) {
      const results = await Promise.allSettled(
        Array.from({ length: N }, (_, i) =>
          insertOperations(stack.ds.manager, [
            {
              documentId: docId,
              version,
              userId: stack.userId,
              clientId: `writer-${i}`,
              seq: version,
              submissionHash: 'h',
              delta: [{ insert: `${i}` }],
            },
          ]),
        ),
      );
      const won = results.filter((r) => r.status === 'fulfilled');
      const lost = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
      expect(won).toHaveLength(1);
      expect(lost).toHaveLength(N - 1);
      for (const { reason } of lost) {
        expect(reason).toBeInstanceOf(FenceViolationError);
        // The loser either found the head moved (it waited on the documents
        // row) or collided on the primary key; both are the fence.
        const fence = reason as FenceViolationError;
        expect([FenceViolationReason.VERSION_TAKEN, FenceViolationReason.HEAD_MOVED]).toContain(fence.reason);
        if (fence.reason === FenceViolationReason.VERSION_TAKEN)
          expect(fence.constraint).toBe('pk_operations');
      }
      expect(await count(docId)).toBe(version);
      expect(await headVersion(stack.ds.manager, docId)).toBe(version);
    }
  });

  it('fence: two owners (two pools) writing the same versions never fork the history', async () => {
    const other = await createDataSource({ url: stack.db.url, poolSize: 2 }).initialize();
    try {
      const docId = await newDocument();
      const [a, b] = await Promise.allSettled([
        insertOperations(stack.ds.manager, ops(docId, stack.userId, 1, 5, 'owner-a')),
        insertOperations(other.manager, ops(docId, stack.userId, 1, 5, 'owner-b')),
      ]);
      expect([a.status, b.status].sort()).toEqual(['fulfilled', 'rejected']);
      const loser = (a.status === 'rejected' ? a : b) as PromiseRejectedResult;
      expect(loser.reason).toBeInstanceOf(FenceViolationError);

      // The stale owner, still at head 0, cannot append anything either.
      const stale = await Promise.allSettled([
        insertOperations(other.manager, ops(docId, stack.userId, 1, 1, 'stale')),
      ]);
      expect(stale[0].status).toBe('rejected');

      const log = await loadOperationsAfter(stack.ds.manager, docId, 0, 100);
      expect(log.map((o) => o.version)).toEqual([1, 2, 3, 4, 5]);
      expect(new Set(log.map((o) => o.clientId)).size).toBe(1);
    } finally {
      await other.destroy();
    }
  });

  it('refuses a batch that does not start right after the head, and writes none of it', async () => {
    const docId = await newDocument();
    await insertOperations(stack.ds.manager, ops(docId, stack.userId, 1, 2));
    const error = await insertOperations(stack.ds.manager, ops(docId, stack.userId, 4, 5)).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(FenceViolationError);
    expect((error as FenceViolationError).reason).toBe(FenceViolationReason.HEAD_MOVED);
    expect((error as FenceViolationError).versions).toEqual({ first: 4, last: 5 });
    expect(await count(docId)).toBe(2);
    expect(await headVersion(stack.ds.manager, docId)).toBe(2);
  });
});
