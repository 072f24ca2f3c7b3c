import type Delta from 'quill-delta';
import type { DocServiceRuntime } from '../src/doc-service.runtime';
import { type DocServiceHarness, type OpFactory, useDocServiceSuite } from './harness';

jest.setTimeout(60_000);

const WINDOW = 16;

let h: DocServiceHarness;
let userId: string;
let op: OpFactory;
useDocServiceSuite('doc-service-dedupe', (suite) => ({ h, userId, op } = suite));

/**
 * Counts the dedupe lookups an instance sends to PostgreSQL: every one goes
 * through its store's findBySeq (one batched query per turn), which still
 * runs the real query.
 */
function countLookups(runtime: DocServiceRuntime): { readonly count: number } {
  const store = runtime.store;
  const counter = { count: 0 };
  const original = store.findBySeq.bind(store);
  store.findBySeq = (...args) => {
    counter.count++;
    return original(...args);
  };
  return counter;
}

/** `count` single-character inserts by `count` different clients, starting at version `from`. */
async function typeAlong(ds: DocServiceRuntime, docId: string, from: number, count: number, tag: string) {
  for (let i = 0; i < count; i++) {
    const reply = await h.request(ds, op(docId, `${tag}${i}`, 1, from + i, [{ insert: 'x' }]));
    expect(reply).toMatchObject({ ok: true, result: { version: from + i + 1 } });
  }
}

describe('doc-service dedupe from the window of recent operations', () => {
  it('after a restart, answers a resend whose base is in the window without a lookup, and refuses a reused seq', async () => {
    let ds = await h.startInstance({ HISTORY_WINDOW: String(WINDOW) });
    const docId = await h.createDocument(userId);
    const original = op(docId, 'resender', 1, 0, [{ insert: 'a' }]);
    expect(await h.request(ds, original)).toMatchObject({ ok: true, result: { version: 1 } });
    await typeAlong(ds, docId, 1, 5, 'w');

    // A new process: the actor is loaded from the log, its window with each row's origin.
    await h.stopInstance(ds);
    ds = await h.startInstance({ HISTORY_WINDOW: String(WINDOW) });
    const lookups = countLookups(ds);
    expect(await h.request(ds, original)).toMatchObject({ ok: true, result: { version: 1 } });
    expect(await h.request(ds, { ...original, delta: [{ insert: 'b' }] })).toMatchObject({
      ok: false,
      error: { code: 'SEQ_REUSED' },
    });
    // A new client's first operation, and the resender's next one.
    expect(await h.request(ds, op(docId, 'new', 1, 6, [{ insert: 'n' }]))).toMatchObject({
      ok: true,
      result: { version: 7 },
    });
    expect(await h.request(ds, op(docId, 'resender', 2, 7, [{ insert: 'b' }]))).toMatchObject({
      ok: true,
      result: { version: 8 },
    });
    expect(lookups.count).toBe(0);
    expect((await h.storedOps(docId)).filter((o) => o.clientId === 'resender').map((o) => o.seq)).toEqual([
      1, 2,
    ]);
    expect(await h.storedOps(docId)).toHaveLength(8);
  });

  it('after a restart, reads the log for a resend whose base is older than the window', async () => {
    let ds = await h.startInstance({ HISTORY_WINDOW: String(WINDOW) });
    const docId = await h.createDocument(userId);
    const original = op(docId, 'slow', 1, 0, [{ insert: 'a' }]);
    expect(await h.request(ds, original)).toMatchObject({ ok: true, result: { version: 1 } });
    await typeAlong(ds, docId, 1, WINDOW + 4, 'w');
    const head = WINDOW + 5;

    await h.stopInstance(ds);
    ds = await h.startInstance({ HISTORY_WINDOW: String(WINDOW) });
    const lookups = countLookups(ds);
    expect(await h.request(ds, original)).toMatchObject({ ok: true, result: { version: 1 } });
    expect(lookups.count).toBe(1);
    expect(await h.request(ds, { ...original, delta: [{ insert: 'b' }] })).toMatchObject({
      ok: false,
      error: { code: 'SEQ_REUSED' },
    });
    expect(await h.storedOps(docId)).toHaveLength(head);
  });

  it('a seq reused from before the window, on a base inside it, is refused by the log key: SEQ_REUSED, nothing written', async () => {
    let ds = await h.startInstance({ HISTORY_WINDOW: String(WINDOW) });
    const docId = await h.createDocument(userId);
    expect(await h.request(ds, op(docId, 'reuser', 1, 0, [{ insert: 'a' }]))).toMatchObject({ ok: true });
    await typeAlong(ds, docId, 1, WINDOW + 4, 'w');
    const head = WINDOW + 5;

    await h.stopInstance(ds);
    ds = await h.startInstance({ HISTORY_WINDOW: String(WINDOW) });
    const reused = op(docId, 'reuser', 1, head, [{ insert: 'Z' }]);
    expect(await h.request(ds, reused)).toMatchObject({ ok: false, error: { code: 'SEQ_REUSED' } });
    expect(await h.request(ds, reused)).toMatchObject({ ok: false, error: { code: 'SEQ_REUSED' } });
    // The document keeps serving: the next operation is the next version.
    expect(await h.request(ds, op(docId, 'after', 1, head, [{ insert: 'y' }]))).toMatchObject({
      ok: true,
      result: { version: head + 1 },
    });
    const stored = await h.storedOps(docId);
    expect(stored).toHaveLength(head + 1);
    expect(stored.filter((o) => o.clientId === 'reuser')).toEqual([
      { version: 1, delta: [{ insert: 'a' }], clientId: 'reuser', seq: 1 },
    ]);
  });
});

describe('doc-service and operations that change nothing', () => {
  it('refuses them with OP_CHANGES_NOTHING, writing no row and using no version, also when resent', async () => {
    const ds = await h.startInstance();
    const docId = await h.createDocument(userId);
    expect(
      await h.request(ds, op(docId, 'w', 1, 0, [{ insert: 'ab', attributes: { bold: true } }])),
    ).toMatchObject({ ok: true, result: { version: 1 } });
    // Two people delete the same character at version 1.
    expect(await h.request(ds, op(docId, 'w', 2, 1, [{ delete: 1 }]))).toMatchObject({
      ok: true,
      result: { version: 2 },
    });
    const noOps: [Delta['ops'], number][] = [
      [[], 2],
      [[{ retain: 1 }], 2],
      [[{ retain: 1, attributes: { bold: true } }], 2], // "b" is bold already
      [[{ delete: 1 }], 1], // made at version 1: the character is gone already
    ];
    let seq = 1;
    for (const [delta, base] of noOps) {
      const request = op(docId, 'n', seq++, base, delta);
      expect(await h.request(ds, request)).toMatchObject({
        ok: false,
        error: { code: 'OP_CHANGES_NOTHING' },
      });
      expect(await h.request(ds, request)).toMatchObject({
        ok: false,
        error: { code: 'OP_CHANGES_NOTHING' },
      });
    }
    expect((await h.storedOps(docId)).map((o) => o.version)).toEqual([1, 2]);
    expect(await h.request(ds, op(docId, 'n', seq, 2, [{ insert: 'c' }]))).toMatchObject({
      ok: true,
      result: { version: 3 },
    });
    const head = await h.dataSource.query('SELECT head_version FROM documents WHERE id = $1', [docId]);
    expect(Number(head[0].head_version)).toBe(3);
  });
});
