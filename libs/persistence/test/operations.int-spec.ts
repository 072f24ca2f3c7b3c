import { createTestDatabase, type TestDatabase } from '@collab/testing';
import { type DataSource, type EntityManager, QueryFailedError } from 'typeorm';
import {
  createDataSource,
  DocumentEntity,
  FenceViolationError,
  FenceViolationReason,
  findOperationsBySeq,
  headVersion,
  insertOperations,
  loadOperationsAfter,
  MissingDocumentError,
  type NewOperation,
  type SeqKey,
  type StoredDelta,
  type StoredOperation,
} from '../src';
import { createDocument, createUser } from '@collab/testing';
import { migratedDataSource, ops } from './fixtures';

let db: TestDatabase;
let ds: DataSource;
let userId: string;

beforeAll(async () => {
  db = await createTestDatabase('persistence_operations');
  ds = await migratedDataSource(db.url);
  userId = await createUser(ds);
});

afterAll(async () => {
  await ds?.destroy();
  await db.drop();
});

async function newDocument(): Promise<string> {
  return await createDocument(ds, userId);
}

async function count(documentId: string): Promise<number> {
  const [{ n }]: { n: number }[] = await ds.query(
    'SELECT count(*)::int AS n FROM operations WHERE document_id = $1',
    [documentId],
  );
  return n;
}

/** One dedupe lookup (the doc-service batches them; one at a time here). */
async function findOne(manager: EntityManager, key: SeqKey): Promise<StoredOperation | null> {
  const [found] = await findOperationsBySeq(manager, [key]);
  return found;
}

describe('insertOperations', () => {
  it('writes a group commit in one statement and moves the head in the same transaction', async () => {
    const docId = await newDocument();
    const before = await ds.getRepository(DocumentEntity).findOneByOrFail({ id: docId });
    expect(before.headVersion).toBe(0);

    // Every statement the group commit sends, as TypeORM's logger sees it.
    const statements: string[] = [];
    const logger = ds.logger;
    ds.logger = Object.assign(Object.create(logger) as typeof logger, {
      logQuery: (query: string) => void statements.push(query.trim().split(/\s+/)[0]),
    });
    try {
      await expect(insertOperations(ds.manager, ops(docId, userId, 1, 3))).resolves.toEqual({
        headVersion: 3,
      });
    } finally {
      ds.logger = logger;
    }
    // One statement (a CTE moving the head and appending the rows): one round trip, one commit.
    expect(statements).toEqual(['WITH']);
    await expect(insertOperations(ds.manager, ops(docId, userId, 4, 4))).resolves.toEqual({ headVersion: 4 });

    const after = await ds.getRepository(DocumentEntity).findOneByOrFail({ id: docId });
    expect(after.headVersion).toBe(4);
    expect(after.updatedAt.getTime()).toBeGreaterThanOrEqual(before.updatedAt.getTime());
    expect(await headVersion(ds.manager, docId)).toBe(4);
    expect(await count(docId)).toBe(4);
  });

  it('leaves neither the operations nor the head behind when the surrounding transaction rolls back', async () => {
    const docId = await newDocument();
    const rollback = new Error('rollback');
    await expect(
      ds.transaction(async (tx) => {
        await insertOperations(tx, ops(docId, userId, 1, 2));
        // Inside the transaction both are visible together...
        expect(await headVersion(tx, docId)).toBe(2);
        // ...and outside neither is.
        expect(await headVersion(ds.manager, docId)).toBe(0);
        expect(await count(docId)).toBe(0);
        throw rollback;
      }),
    ).rejects.toBe(rollback);
    expect(await headVersion(ds.manager, docId)).toBe(0);
    expect(await count(docId)).toBe(0);
  });

  it('fence: of N=10 concurrent writers of the same version, exactly one commits', async () => {
    const docId = await newDocument();
    const N = 10;
    for (let version = 1; version <= 3; version++) {
      const results = await Promise.allSettled(
        Array.from({ length: N }, (_, i) =>
          insertOperations(ds.manager, [
            {
              documentId: docId,
              version,
              userId,
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
      expect(await headVersion(ds.manager, docId)).toBe(version);
    }
  });

  it('fence: two owners (two pools) writing the same versions never fork the history', async () => {
    const other = await createDataSource({ url: db.url, poolSize: 2 }).initialize();
    try {
      const docId = await newDocument();
      const [a, b] = await Promise.allSettled([
        insertOperations(ds.manager, ops(docId, userId, 1, 5, 'owner-a')),
        insertOperations(other.manager, ops(docId, userId, 1, 5, 'owner-b')),
      ]);
      expect([a.status, b.status].sort()).toEqual(['fulfilled', 'rejected']);
      const loser = (a.status === 'rejected' ? a : b) as PromiseRejectedResult;
      expect(loser.reason).toBeInstanceOf(FenceViolationError);

      // The stale owner, still at head 0, cannot append anything either.
      const stale = await Promise.allSettled([
        insertOperations(other.manager, ops(docId, userId, 1, 1, 'stale')),
      ]);
      expect(stale[0].status).toBe('rejected');

      const log = await loadOperationsAfter(ds.manager, docId, 0, 100);
      expect(log.map((o) => o.version)).toEqual([1, 2, 3, 4, 5]);
      expect(new Set(log.map((o) => o.clientId)).size).toBe(1);
    } finally {
      await other.destroy();
    }
  });

  it('refuses a batch that does not start right after the head, and writes none of it', async () => {
    const docId = await newDocument();
    await insertOperations(ds.manager, ops(docId, userId, 1, 2));
    const error = await insertOperations(ds.manager, ops(docId, userId, 4, 5)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(FenceViolationError);
    expect((error as FenceViolationError).reason).toBe(FenceViolationReason.HEAD_MOVED);
    expect((error as FenceViolationError).versions).toEqual({ first: 4, last: 5 });
    expect(await count(docId)).toBe(2);
    expect(await headVersion(ds.manager, docId)).toBe(2);
  });

  it('(client_id, seq) is unique per document, across writers and restarts', async () => {
    const docId = await newDocument();
    const first: NewOperation = {
      documentId: docId,
      version: 1,
      userId,
      clientId: 'c1',
      seq: 7,
      submissionHash: 'h',
      delta: [{ insert: 'a' }],
    };
    await insertOperations(ds.manager, [first]);

    // A fresh pool stands in for a restarted instance: the dedupe record is in the table, not in memory.
    const restarted = await createDataSource({ url: db.url, poolSize: 1 }).initialize();
    try {
      const found = await findOne(restarted.manager, { documentId: docId, userId, clientId: 'c1', seq: 7 });
      expect(found).toMatchObject({
        version: 1,
        clientId: 'c1',
        seq: 7,
        submissionHash: 'h',
        delta: [{ insert: 'a' }],
        userId,
      });
      expect(found?.createdAt).toBeInstanceOf(Date);
      expect(
        await findOne(restarted.manager, { documentId: docId, userId, clientId: 'c1', seq: 8 }),
      ).toBeNull();
      expect(
        await findOne(restarted.manager, { documentId: docId, userId, clientId: 'c2', seq: 7 }),
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
    const batch = await insertOperations(ds.manager, [
      {
        documentId: docId,
        version: 2,
        userId,
        clientId: 'c2',
        seq: 1,
        submissionHash: 'h',
        delta: [{ insert: 'x' }],
      },
      {
        documentId: docId,
        version: 3,
        userId,
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
    await expect(insertOperations(ds.manager, [{ ...first, documentId: otherDoc }])).resolves.toEqual({
      headVersion: 1,
    });

    // Another user replaying this (client_id, seq) (clientIds are visible to everyone in the
    // room) gets a separate dedupe record: it cannot make the owner's operation look like a resend.
    const intruder = await createUser(ds);
    await expect(
      insertOperations(ds.manager, [{ ...first, version: 2, userId: intruder, delta: [{ insert: 'z' }] }]),
    ).resolves.toEqual({ headVersion: 2 });
    expect(
      await findOne(ds.manager, { documentId: docId, userId: intruder, clientId: 'c1', seq: 7 }),
    ).toMatchObject({ version: 2 });
    expect(await findOne(ds.manager, { documentId: docId, userId, clientId: 'c1', seq: 7 })).toMatchObject({
      version: 1,
    });
  });

  it('looks up many (client_id, seq) pairs in one query, each answer in its place', async () => {
    const [a, b] = await Promise.all([newDocument(), newDocument()]);
    await insertOperations(ds.manager, ops(a, userId, 1, 3, 'ca'));
    await insertOperations(ds.manager, ops(b, userId, 1, 1, 'cb'));
    const key = (documentId: string, clientId: string, seq: number, user = userId) => ({
      documentId,
      userId: user,
      clientId,
      seq,
    });
    const found = await findOperationsBySeq(ds.manager, [
      key(a, 'ca', 2),
      key(a, 'ca', 9),
      key(b, 'cb', 1),
      key(b, 'ca', 1),
      key(a, 'ca', 2),
      key(a, 'ca', 1, await createUser(ds)),
    ]);
    expect(found.map((f) => f && [f.documentId, f.clientId, f.seq, f.version])).toEqual([
      [a, 'ca', 2, 2],
      null,
      [b, 'cb', 1, 1],
      null,
      [a, 'ca', 2, 2],
      null,
    ]);
    expect(await findOperationsBySeq(ds.manager, [])).toEqual([]);
  });

  it('stores any safe-integer seq the wire schema allows, and versions beyond 32 bits', async () => {
    const docId = await newDocument();
    const bigVersion = 2 ** 40;
    await ds.query('UPDATE documents SET head_version = $2 WHERE id = $1', [docId, bigVersion - 1]);
    const seq = Number.MAX_SAFE_INTEGER;
    await insertOperations(ds.manager, [
      {
        documentId: docId,
        version: bigVersion,
        userId,
        clientId: 'long-lived',
        seq,
        submissionHash: 'h',
        delta: [{ insert: 'x' }],
      },
    ]);
    expect(
      await findOne(ds.manager, { documentId: docId, userId, clientId: 'long-lived', seq }),
    ).toMatchObject({
      version: bigVersion,
      seq,
    });
    expect(await headVersion(ds.manager, docId)).toBe(bigVersion);
    expect((await loadOperationsAfter(ds.manager, docId, bigVersion - 1, 5)).map((o) => o.version)).toEqual([
      bigVersion,
    ]);
  });

  it('rethrows failures that are not a lost race, untouched', async () => {
    // No such document: not a lost race (re-routing cannot help), so not a fence violation.
    const missing = await insertOperations(
      ds.manager,
      ops('00000000-0000-4000-8000-000000000000', userId, 1, 1),
    ).catch((e: unknown) => e);
    expect(missing).toBeInstanceOf(MissingDocumentError);
    expect(missing).not.toBeInstanceOf(FenceViolationError);

    // jsonb refuses NUL in strings (libs/ot validation refuses it before it gets here).
    const docId = await newDocument();
    const nul = await insertOperations(ds.manager, [
      {
        documentId: docId,
        version: 1,
        userId,
        clientId: 'c',
        seq: 1,
        submissionHash: 'h',
        delta: [{ insert: 'a\u0000b' }],
      },
    ]).catch((e: unknown) => e);
    expect(nul).toBeInstanceOf(QueryFailedError);
    expect(nul).not.toBeInstanceOf(FenceViolationError);
    expect(await count(docId)).toBe(0);
    expect(await headVersion(ds.manager, docId)).toBe(0);
  });

  it('refuses malformed batches before touching the database', async () => {
    const docId = await newDocument();
    await expect(insertOperations(ds.manager, [])).rejects.toThrow(RangeError);
    await expect(
      insertOperations(ds.manager, [...ops(docId, userId, 1, 1), ...ops(docId, userId, 3, 3)]),
    ).rejects.toThrow(/consecutive/);
    await expect(insertOperations(ds.manager, ops(docId, userId, 0, 0))).rejects.toThrow(RangeError);
    const otherDoc = await newDocument();
    await expect(
      insertOperations(ds.manager, [...ops(docId, userId, 1, 1), ...ops(otherDoc, userId, 2, 2)]),
    ).rejects.toThrow(/one document/);
    expect(await count(docId)).toBe(0);
  });
});

describe('loadOperationsAfter', () => {
  it('pages through the log in version order, one document only', async () => {
    const docId = await newDocument();
    const noise = await newDocument();
    for (let from = 1; from <= 25; from += 5)
      await insertOperations(ds.manager, ops(docId, userId, from, from + 4));
    await insertOperations(ds.manager, ops(noise, userId, 1, 30, 'noise'));

    const versions: number[][] = [];
    let after = 0;
    for (;;) {
      const page = await loadOperationsAfter(ds.manager, docId, after, 10);
      versions.push(page.map((o) => o.version));
      if (page.length < 10) break;
      after = page[page.length - 1].version;
    }
    const range = (a: number, b: number) => Array.from({ length: b - a + 1 }, (_, i) => a + i);
    expect(versions).toEqual([range(1, 10), range(11, 20), range(21, 25)]);

    const page = await loadOperationsAfter(ds.manager, docId, 22, 10);
    expect(page.map((o) => o.delta)).toEqual([[{ insert: 'v23' }], [{ insert: 'v24' }], [{ insert: 'v25' }]]);
    expect(page.every((o) => o.documentId === docId && o.clientId === 'client-a')).toBe(true);
    expect(await loadOperationsAfter(ds.manager, docId, 25, 10)).toEqual([]);
    await expect(loadOperationsAfter(ds.manager, docId, 0, 0)).rejects.toThrow(RangeError);
  });
});

describe('jsonb storage of deltas', () => {
  it('round-trips astral characters, ZWJ sequences, combining marks and attributes exactly', async () => {
    const docId = await newDocument();
    const delta: StoredDelta = [
      { insert: '👨‍👩‍👧‍👦 family, 👍🏽 skin tone, 🏳️‍🌈 flag, 🇫🇷 regional pair' },
      {
        insert: '𝒳𝓎𝓏 math, 𠜎 CJK ext-B, e\u0301 vs \u00e9, "quotes" \\ backslash\t tab',
        attributes: { bold: true },
      },
      { insert: { image: 'https://example.test/😀.png' }, attributes: { alt: '🙂' } },
      { retain: 3, attributes: { link: 'https://example.test/?q=ü&r=🎉', color: null } },
      { delete: 2 },
      { insert: '\n', attributes: { header: 2 } },
    ];
    await insertOperations(ds.manager, [
      { documentId: docId, version: 1, userId, clientId: 'emoji', seq: 0, submissionHash: 'h', delta },
    ]);

    const [stored] = await loadOperationsAfter(ds.manager, docId, 0, 1);
    expect(stored.delta).toEqual(delta);
    // Same UTF-16 code units, so Delta lengths and OT positions are unchanged.
    const texts = (d: StoredDelta) => d.map((op) => (typeof op.insert === 'string' ? op.insert : ''));
    expect(texts(stored.delta)).toStrictEqual(texts(delta));
    expect(texts(stored.delta).map((t) => t.length)).toEqual(texts(delta).map((t) => t.length));
    expect(await findOne(ds.manager, { documentId: docId, userId, clientId: 'emoji', seq: 0 })).toMatchObject(
      { delta },
    );
  });
});
