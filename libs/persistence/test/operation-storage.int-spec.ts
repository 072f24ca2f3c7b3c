import { headVersion, insertOperations, loadOperationsAfter, type StoredDelta } from '../src';
import { ops } from './fixtures';
import { findOne, operationsDatabase } from './operations-database';

const stack = operationsDatabase('persistence_operation_storage');
const { newDocument } = stack;

describe('insertOperations', () => {
  it('stores any safe-integer seq the wire schema allows, and versions beyond 32 bits', async () => {
    const docId = await newDocument();
    const bigVersion = 2 ** 40;
    await stack.ds.query('UPDATE documents SET head_version = $2 WHERE id = $1', [docId, bigVersion - 1]);
    const seq = Number.MAX_SAFE_INTEGER;
    await insertOperations(stack.ds.manager, [
      {
        documentId: docId,
        version: bigVersion,
        userId: stack.userId,
        clientId: 'long-lived',
        seq,
        submissionHash: 'h',
        delta: [{ insert: 'x' }],
      },
    ]);
    expect(
      await findOne(stack.ds.manager, {
        documentId: docId,
        userId: stack.userId,
        clientId: 'long-lived',
        seq,
      }),
    ).toMatchObject({
      version: bigVersion,
      seq,
    });
    expect(await headVersion(stack.ds.manager, docId)).toBe(bigVersion);
    expect(
      (await loadOperationsAfter(stack.ds.manager, docId, bigVersion - 1, 5)).map((o) => o.version),
    ).toEqual([bigVersion]);
  });
});

describe('loadOperationsAfter', () => {
  it('pages through the log in version order, one document only', async () => {
    const docId = await newDocument();
    const noise = await newDocument();
    for (let from = 1; from <= 25; from += 5)
      await insertOperations(stack.ds.manager, ops(docId, stack.userId, from, from + 4));
    await insertOperations(stack.ds.manager, ops(noise, stack.userId, 1, 30, 'noise'));

    const versions: number[][] = [];
    let after = 0;
    for (;;) {
      const page = await loadOperationsAfter(stack.ds.manager, docId, after, 10);
      versions.push(page.map((o) => o.version));
      if (page.length < 10) break;
      after = page[page.length - 1].version;
    }
    const range = (a: number, b: number) => Array.from({ length: b - a + 1 }, (_, i) => a + i);
    expect(versions).toEqual([range(1, 10), range(11, 20), range(21, 25)]);

    const page = await loadOperationsAfter(stack.ds.manager, docId, 22, 10);
    expect(page.map((o) => o.delta)).toEqual([[{ insert: 'v23' }], [{ insert: 'v24' }], [{ insert: 'v25' }]]);
    expect(page.every((o) => o.documentId === docId && o.clientId === 'client-a')).toBe(true);
    expect(await loadOperationsAfter(stack.ds.manager, docId, 25, 10)).toEqual([]);
    await expect(loadOperationsAfter(stack.ds.manager, docId, 0, 0)).rejects.toThrow(RangeError);
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
    await insertOperations(stack.ds.manager, [
      {
        documentId: docId,
        version: 1,
        userId: stack.userId,
        clientId: 'emoji',
        seq: 0,
        submissionHash: 'h',
        delta,
      },
    ]);

    const [stored] = await loadOperationsAfter(stack.ds.manager, docId, 0, 1);
    expect(stored.delta).toEqual(delta);
    // Same UTF-16 code units, so Delta lengths and OT positions are unchanged.
    const texts = (d: StoredDelta) => d.map((op) => (typeof op.insert === 'string' ? op.insert : ''));
    expect(texts(stored.delta)).toStrictEqual(texts(delta));
    expect(texts(stored.delta).map((t) => t.length)).toEqual(texts(delta).map((t) => t.length));
    expect(
      await findOne(stack.ds.manager, { documentId: docId, userId: stack.userId, clientId: 'emoji', seq: 0 }),
    ).toMatchObject({ delta });
  });
});
