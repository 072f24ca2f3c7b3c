import { MAX_CATCHUP_BYTES, snapshotJobId } from '@collab/contracts';
import { insertOperations } from '@collab/persistence';
import { Queue } from 'bullmq';
import Delta from 'quill-delta';
import { until } from '@collab/testing';
import { type DocServiceHarness, type OpFactory, useDocServiceSuite } from './harness';

jest.setTimeout(60_000);

let h: DocServiceHarness;
let userId: string;
let op: OpFactory;
useDocServiceSuite('doc-service', (suite) => ({ h, userId, op } = suite));

function textOf(content: unknown): string {
  return new Delta(content as Delta['ops']).ops
    .map((o) => (typeof o.insert === 'string' ? o.insert : ''))
    .join('');
}

describe('doc-service', () => {
  it('commits an operation, broadcasts it after the commit, and serves the content at head', async () => {
    const ds = await h.startInstance();
    const docId = await h.createDocument(userId);
    expect(await h.load(docId)).toEqual({ version: 0, content: [{ insert: '\n' }] });

    const reply = await h.request(
      ds,
      op(docId, 'c1', 1, 0, [{ insert: 'Hello', attributes: { bold: true } }]),
    );
    expect(reply).toMatchObject({ ok: true, result: { version: 1 } });
    expect(await h.storedOps(docId)).toEqual([
      { version: 1, delta: [{ insert: 'Hello', attributes: { bold: true } }], clientId: 'c1', seq: 1 },
    ]);
    await until(() => h.broadcasts.some((b) => b.docId === docId), { what: 'the broadcast of version 1' });
    expect(h.broadcasts.filter((b) => b.docId === docId)).toEqual([
      {
        docId,
        version: 1,
        delta: [{ insert: 'Hello', attributes: { bold: true } }],
        clientId: 'c1',
        seq: 1,
        userId,
      },
    ]);
    expect(await h.load(docId)).toEqual({
      version: 1,
      content: [{ insert: 'Hello', attributes: { bold: true } }, { insert: '\n' }],
    });
  });

  it('applies a resent (clientId, seq) once, across a restart, and refuses a reused seq', async () => {
    let ds = await h.startInstance();
    const docId = await h.createDocument(userId);
    const first = op(docId, 'resender', 1, 0, [{ insert: 'a' }]);
    expect(await h.request(ds, first)).toMatchObject({ ok: true, result: { version: 1 } });
    expect(await h.request(ds, first)).toMatchObject({ ok: true, result: { version: 1 } });
    expect(await h.request(ds, { ...first, delta: [{ insert: 'b' }] })).toMatchObject({
      ok: false,
      error: { code: 'SEQ_REUSED' },
    });

    // A new process has no memory of the client: the dedupe record in PostgreSQL answers.
    await h.stopInstance(ds);
    ds = await h.startInstance();
    expect(await h.request(ds, first)).toMatchObject({ ok: true, result: { version: 1 } });
    expect(await h.request(ds, { ...first, delta: [{ insert: 'c' }] })).toMatchObject({
      ok: false,
      error: { code: 'SEQ_REUSED' },
    });
    expect(await h.request(ds, op(docId, 'resender', 2, 1, [{ retain: 1 }, { insert: 'b' }]))).toMatchObject({
      ok: true,
      result: { version: 2 },
    });
    expect((await h.storedOps(docId)).map((o) => o.seq)).toEqual([1, 2]);
    expect(textOf((await h.load(docId)).content)).toBe('ab\n');
  });

  it('N simultaneous submits at the same base version: one commit per version, all transformed, nothing lost', async () => {
    const ds = await h.startInstance();
    const docId = await h.createDocument(userId);
    const N = 40;
    const replies = await Promise.all(
      Array.from({ length: N }, (_, i) => h.request(ds, op(docId, `w${i}`, 1, 0, [{ insert: `<${i}>` }]))),
    );
    const versions = replies.map((r) => (r.ok ? (r.result as { version: number }).version : -1));
    expect([...versions].sort((a, b) => a - b)).toEqual(Array.from({ length: N }, (_, i) => i + 1));
    const stored = await h.storedOps(docId);
    expect(stored.map((o) => o.version)).toEqual(Array.from({ length: N }, (_, i) => i + 1));
    const text = textOf((await h.load(docId)).content);
    for (let i = 0; i < N; i++) expect(text).toContain(`<${i}>`);
    const inserted = (d: unknown) =>
      (d as Delta['ops']).reduce((n, c) => n + (typeof c.insert === 'string' ? c.insert.length : 0), 0);
    expect(text.length).toBe(stored.reduce((n, o) => n + inserted(o.delta), 0) + 1);
    // The log replays to the served content.
    const replay = stored.reduce(
      (doc, o) => doc.compose(new Delta(o.delta as Delta['ops'])),
      new Delta([{ insert: '\n' }]),
    );
    expect(replay.ops).toEqual((await h.load(docId)).content);
  });

  it('refuses malformed, out-of-range and ahead-of-head operations with their codes, changing nothing', async () => {
    const ds = await h.startInstance();
    const docId = await h.createDocument(userId);
    const cases: [Delta['ops'] | unknown, number, string][] = [
      [[{ retain: 5 }, { insert: 'x' }], 0, 'OP_OUT_OF_RANGE'],
      [[{ insert: 'x', attributes: { onclick: 'alert(1)' } }], 0, 'INVALID_ATTRIBUTES'],
      [[{ insert: 'x', attributes: { link: 'javascript:alert(1)' } }], 0, 'INVALID_ATTRIBUTES'],
      [[{ insert: '\ud800' }], 0, 'INVALID_TEXT'],
      [[{ delete: 1 }], 0, 'MISSING_FINAL_NEWLINE'],
      [[{ insert: 'x' }], 7, 'VERSION_AHEAD'],
    ];
    let seq = 1;
    for (const [delta, base, code] of cases) {
      const reply = await h.request(ds, op(docId, 'bad', seq++, base, delta as Delta['ops']));
      expect(reply).toMatchObject({ ok: false, error: { code } });
    }
    // A request that fails the wire schema gets no reply at all (dropped), and changes nothing.
    await h.redis.publish(h.keys.inbox(ds.instanceId), '{"type":"op","docId":"nope"}');
    await h.redis.publish(h.keys.inbox(ds.instanceId), 'not json');
    expect(await h.storedOps(docId)).toEqual([]);
    expect(await h.load(docId)).toEqual({ version: 0, content: [{ insert: '\n' }] });
  });

  it('answers each request of a batch on its own, dropping only its malformed elements', async () => {
    const ds = await h.startInstance();
    const docId = await h.createDocument(userId);
    const replies = await h.requestBatch(
      ds,
      [
        op(docId, 'batch-a', 1, 0, [{ insert: 'a' }]),
        op(docId, 'batch-b', 1, 0, [{ insert: 'b' }]),
        op(docId, 'batch-c', 1, 0, [{ retain: 9 }, { insert: 'c' }]),
      ],
      [{ type: 'op', docId: 'nope' }, null, 'text'],
    );
    expect(replies.map((r) => (r.ok ? r.result : r.error.code))).toEqual([
      { version: 1 },
      { version: 2 },
      'OP_OUT_OF_RANGE',
    ]);
    expect((await h.storedOps(docId)).map((o) => o.clientId)).toEqual(['batch-a', 'batch-b']);
    // An empty batch, or one over the bound, is dropped whole.
    await h.redis.publish(h.keys.inbox(ds.instanceId), '[]');
    expect(await h.storedOps(docId)).toHaveLength(2);
  });

  it('an instance that is not the owner refuses with NOT_OWNER', async () => {
    const a = await h.startInstance();
    const b = await h.startInstance();
    await h.settle();
    const docs = await Promise.all(Array.from({ length: 6 }, () => h.createDocument(userId)));
    for (const docId of docs) {
      const owner = h.ownerOf(docId);
      const other = owner === a ? b : a;
      expect(await h.request(other, op(docId, 'x', 1, 0, [{ insert: 'x' }]))).toMatchObject({
        ok: false,
        error: { code: 'NOT_OWNER' },
      });
      expect(await h.request(owner, op(docId, 'x', 1, 0, [{ insert: 'x' }]))).toMatchObject({ ok: true });
    }
  });

  it('the database fence: when another writer took a version, the actor drops its state and reloads', async () => {
    const ds = await h.startInstance();
    const docId = await h.createDocument(userId);
    expect(await h.request(ds, op(docId, 'c', 1, 0, [{ insert: 'a' }]))).toMatchObject({ ok: true });
    // A second owner (a paused process that woke up, say) writes version 2 behind our back.
    await h.dataSource.query(
      `INSERT INTO operations (document_id, version, delta, user_id, client_id, seq, submission_hash)
       VALUES ($1, 2, '[{"insert":"Z"}]', $2, 'intruder', 1, 'h')`, // inserts Z at the start
      [docId, userId],
    );
    await h.dataSource.query('UPDATE documents SET head_version = 2 WHERE id = $1', [docId]);
    expect(await h.request(ds, op(docId, 'c', 2, 1, [{ retain: 1 }, { insert: 'b' }]))).toMatchObject({
      ok: false,
      error: { code: 'NOT_OWNER' },
    });
    // The resend goes to a fresh actor, loaded from the log: transformed past the other write, committed once.
    expect(await h.request(ds, op(docId, 'c', 2, 1, [{ retain: 1 }, { insert: 'b' }]))).toMatchObject({
      ok: true,
      result: { version: 3 },
    });
    expect(textOf((await h.load(docId)).content)).toBe('Zab\n');
  });

  it('group commit: operations arriving during a write share one INSERT, broadcast in version order', async () => {
    const ds = await h.startInstance();
    const docId = await h.createDocument(userId);
    // Each group commit is one append of the instance's store (one INSERT, shared with other documents').
    const commits: [number, number][] = [];
    const append = ds.store.append.bind(ds.store);
    ds.store.append = async (rows) => {
      await append(rows);
      if (rows[0]?.documentId === docId) commits.push([rows[0].version, rows[rows.length - 1].version]);
    };
    await Promise.all(
      Array.from({ length: 60 }, (_, i) => h.request(ds, op(docId, `g${i}`, 1, 0, [{ insert: 'x' }]))),
    );
    expect(commits.reduce((n, [from, to]) => n + to - from + 1, 0)).toBe(60);
    expect(commits.length).toBeLessThan(60);
    expect(commits.some(([from, to]) => to > from)).toBe(true);
    await until(() => h.broadcasts.filter((b) => b.docId === docId).length === 60, {
      what: 'the 60 broadcasts',
    });
    expect(h.broadcasts.filter((b) => b.docId === docId).map((b) => b.version)).toEqual(
      Array.from({ length: 60 }, (_, i) => i + 1),
    );
  });

  it('queues a snapshot job every 50 versions with an id made from document and version', async () => {
    const ds = await h.startInstance();
    const docId = await h.createDocument(userId);
    for (let i = 0; i < 105; i++) {
      const reply = await h.request(ds, op(docId, 'snap', i + 1, i, [{ insert: 'x' }]));
      expect(reply.ok).toBe(true);
    }
    const connection = h.redis.duplicate();
    const queue = new Queue('snapshots', { connection, prefix: h.keys.bullmq });
    try {
      const jobs = await queue.getJobs([
        'waiting',
        'delayed',
        'prioritized',
        'active',
        'completed',
        'failed',
      ]);
      const mine = jobs.filter((j) => j.data.docId === docId);
      expect(mine.map((j) => j.id).sort()).toEqual(
        [snapshotJobId(docId, 100), snapshotJobId(docId, 50)].sort(),
      );
      expect(mine.map((j) => j.data.version).sort()).toEqual([100, 50]);
    } finally {
      await queue.close();
      connection.disconnect();
    }
  });

  it('serves catch-up in pages from the log', async () => {
    const ds = await h.startInstance();
    const docId = await h.createDocument(userId);
    for (let i = 0; i < 12; i++) await h.request(ds, op(docId, 'cu', i + 1, i, [{ insert: `${i % 10}` }]));
    const page = await h.request(ds, { type: 'catchup', docId, fromVersion: 3, limit: 5 });
    expect(page).toMatchObject({ ok: true, result: { headVersion: 12, hasMore: true } });
    const result = (page as { result: { ops: { version: number }[] } }).result;
    expect(result.ops.map((o) => o.version)).toEqual([4, 5, 6, 7, 8]);
    const last = await h.request(ds, { type: 'catchup', docId, fromVersion: 10, limit: 5 });
    expect(last).toMatchObject({ ok: true, result: { headVersion: 12, hasMore: false } });
    expect(await h.request(ds, { type: 'catchup', docId, fromVersion: 13, limit: 5 })).toMatchObject({
      ok: false,
      error: { code: 'VERSION_AHEAD' },
    });
  });

  it('ends a catch-up page before MAX_CATCHUP_BYTES, with at least one operation', async () => {
    const ds = await h.startInstance();
    const docId = await h.createDocument(userId);
    // Five operations of 300,000 characters: three fit in a page of 1 MiB, a fourth does not.
    const big = 'x'.repeat(300_000);
    await insertOperations(
      h.dataSource.manager,
      Array.from({ length: 5 }, (_, i) => ({
        documentId: docId,
        version: i + 1,
        userId,
        clientId: 'big',
        seq: i + 1,
        submissionHash: `big-${i}`,
        delta: i === 0 ? [{ insert: big }] : [{ retain: i * 300_000 }, { insert: big }],
      })),
    );
    const pageOf = async (fromVersion: number) => {
      const reply = await h.request(ds, { type: 'catchup', docId, fromVersion, limit: 500 });
      if (!reply.ok) throw new Error(reply.error.message);
      const result = reply.result as { ops: { version: number }[]; hasMore: boolean };
      return { versions: result.ops.map((o) => o.version), hasMore: result.hasMore };
    };
    expect(await pageOf(0)).toEqual({ versions: [1, 2, 3], hasMore: true });
    expect(await pageOf(3)).toEqual({ versions: [4, 5], hasMore: false });
    expect(MAX_CATCHUP_BYTES).toBeLessThan(4 * 300_000);
  });

  it('transforms an operation made long ago against history older than the in-memory window', async () => {
    const ds = await h.startInstance({ HISTORY_WINDOW: '16' });
    const docId = await h.createDocument(userId);
    for (let i = 0; i < 40; i++) await h.request(ds, op(docId, 'fast', i + 1, i, [{ insert: 'a' }]));
    // Made at version 0: inserts at the start; every later 'a' went before it... or after: transform decides.
    const late = await h.request(ds, op(docId, 'slow', 1, 0, [{ insert: 'Z' }]));
    expect(late).toMatchObject({ ok: true, result: { version: 41 } });
    const text = textOf((await h.load(docId)).content);
    expect(text.replace('Z', '')).toBe(`${'a'.repeat(40)}\n`);
    expect(text).toContain('Z');
  });

  it('a document moves to a new instance when it joins; the old owner refuses and the new one continues', async () => {
    const a = await h.startInstance();
    await h.settle();
    const docs = await Promise.all(Array.from({ length: 12 }, () => h.createDocument(userId)));
    for (const docId of docs)
      expect(await h.request(a, op(docId, 'm', 1, 0, [{ insert: 'x' }]))).toMatchObject({ ok: true });
    const b = await h.startInstance();
    await h.settle();
    const moved = docs.filter((d) => h.ownerOf(d) === b);
    expect(moved.length).toBeGreaterThan(0);
    expect(moved.length).toBeLessThan(docs.length);
    for (const docId of docs) {
      const owner = h.ownerOf(docId);
      if (owner === b) {
        await until(() => !a.registry['actors'].has(docId), { what: 'the old owner to drop its actor' });
        expect(await h.request(a, op(docId, 'm', 2, 1, [{ insert: 'y' }]))).toMatchObject({
          ok: false,
          error: { code: 'NOT_OWNER' },
        });
      }
      expect(await h.request(owner, op(docId, 'm', 2, 1, [{ insert: 'y' }]))).toMatchObject({
        ok: true,
        result: { version: 2 },
      });
    }
  });
});
