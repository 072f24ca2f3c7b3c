import fc from 'fast-check';
import Delta from 'quill-delta';
import { arbDocument, arbOpFor, arbOpSequence } from '../test/arbitraries';
import { OtErrorCode } from './errors';
import {
  OperationWindow,
  opsSince,
  transformAgainstHistory,
  transformSince,
  type VersionedOp,
} from './operation-window';
import { ChunkedDocument } from './chunked-document';
import { validateOp } from './validate-op';

const op = (n: number): Delta => new Delta().insert(`v${n}`);

describe('OperationWindow', () => {
  it('numbers versions from the head it starts at', () => {
    const window = new OperationWindow({ capacity: 3 });
    expect(window.headVersion).toBe(0);
    expect(window.since(0)).toEqual({ ok: true, value: [] });
    expect(window.push(op(1))).toBe(1);
    expect(window.push(op(2))).toBe(2);
    expect(window.headVersion).toBe(2);
    // An op made at version 0 is transformed against versions 1 and 2.
    expect(window.since(0)).toEqual({ ok: true, value: [op(1), op(2)] });
    expect(window.since(1)).toEqual({ ok: true, value: [op(2)] });
    expect(window.since(2)).toEqual({ ok: true, value: [] });
  });

  it('answers VERSION_AHEAD, VERSION_TOO_OLD and INVALID_OP', () => {
    const window = new OperationWindow({ capacity: 2 });
    for (let v = 1; v <= 5; v++) window.push(op(v));
    expect(window.oldestBaseVersion).toBe(3);
    expect(window.since(6)).toMatchObject({ ok: false, code: OtErrorCode.VERSION_AHEAD });
    expect(window.since(2)).toMatchObject({ ok: false, code: OtErrorCode.VERSION_TOO_OLD });
    expect(window.since(3)).toEqual({ ok: true, value: [op(4), op(5)] });
    for (const bad of [-1, 1.5, NaN, Infinity]) {
      expect(window.since(bad)).toMatchObject({ ok: false, code: OtErrorCode.INVALID_OP });
    }
  });

  it('starts from a loaded head and recent operations', () => {
    const window = new OperationWindow({ capacity: 2, headVersion: 10, recent: [op(8), op(9), op(10)] });
    expect(window.headVersion).toBe(10);
    expect(window.size).toBe(2);
    expect(window.since(8)).toEqual({ ok: true, value: [op(9), op(10)] });
    expect(window.get(9)).toEqual(op(9));
    expect(window.get(8)).toBeUndefined();
    expect(window.get(11)).toBeUndefined();
    expect(() => new OperationWindow({ capacity: 0 })).toThrow(RangeError);
    expect(() => new OperationWindow({ capacity: 2, headVersion: 1, recent: [op(1), op(2)] })).toThrow(
      RangeError,
    );
  });

  it('finds the newest entry whose value matches, among the operations it still holds', () => {
    const window = new OperationWindow<{ client: string; seq: number }>({ capacity: 3, headVersion: 4 });
    window.push(op(5), { client: 'a', seq: 1 });
    window.push(op(6)); // no value: never matches
    window.push(op(7), { client: 'b', seq: 1 });
    window.push(op(8), { client: 'a', seq: 2 });
    // Version 5 has left the window (capacity 3: versions 6..8).
    expect(window.findLatest((m) => m.client === 'a' && m.seq === 1)).toBeUndefined();
    expect(window.findLatest((m) => m.client === 'a')).toEqual({ version: 8, meta: { client: 'a', seq: 2 } });
    expect(window.findLatest((m) => m.client === 'b')).toEqual({ version: 7, meta: { client: 'b', seq: 1 } });
    expect(window.findLatest((_m, version) => version < 8)).toEqual({
      version: 7,
      meta: { client: 'b', seq: 1 },
    });
    expect(new OperationWindow<string>({ capacity: 2 }).findLatest(() => true)).toBeUndefined();
  });

  it('behaves like an unbounded list cut to its capacity (1,000 runs)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 6 }),
        fc.integer({ min: 0, max: 5 }),
        fc.array(fc.oneof(fc.constant(-1), fc.integer({ min: 0, max: 30 })), { maxLength: 40 }),
        (capacity, start, script) => {
          const window = new OperationWindow({ capacity, headVersion: start });
          const all: Delta[] = [];
          for (const step of script) {
            if (step < 0) {
              all.push(op(start + all.length + 1));
              expect(window.push(all[all.length - 1])).toBe(start + all.length);
              continue;
            }
            const head = start + all.length;
            const result = window.since(step);
            if (step > head) expect(result).toMatchObject({ code: OtErrorCode.VERSION_AHEAD });
            else if (head - step > Math.min(capacity, all.length))
              expect(result).toMatchObject({ code: OtErrorCode.VERSION_TOO_OLD });
            else expect(result).toEqual({ ok: true, value: all.slice(step - start) });
          }
        },
      ),
      { numRuns: 1_000 },
    );
  });
});

describe('opsSince and transformSince on an explicit list', () => {
  const rows: VersionedOp[] = [4, 5, 6, 7].map((version) => ({ version, op: op(version) }));

  it('picks base + 1 .. head', () => {
    expect(opsSince(rows, 5, 7)).toEqual({ ok: true, value: [op(6), op(7)] });
    expect(opsSince(rows, 3, 7)).toEqual({ ok: true, value: rows.map((r) => r.op) });
    expect(opsSince(rows, 7, 7)).toEqual({ ok: true, value: [] });
    expect(opsSince([], 7, 7)).toEqual({ ok: true, value: [] });
  });

  it('refuses a list that does not reach back, ends early or has a gap', () => {
    expect(opsSince(rows, 2, 7)).toMatchObject({ code: OtErrorCode.VERSION_TOO_OLD });
    expect(opsSince(rows, 5, 8)).toMatchObject({ code: OtErrorCode.VERSION_TOO_OLD });
    expect(opsSince([rows[0], rows[1], rows[3]], 3, 6)).toMatchObject({ code: OtErrorCode.VERSION_TOO_OLD });
    expect(opsSince([], 3, 7)).toMatchObject({ code: OtErrorCode.VERSION_TOO_OLD });
    expect(opsSince(rows, 8, 7)).toMatchObject({ code: OtErrorCode.VERSION_AHEAD });
    expect(opsSince(rows, -1, 7)).toMatchObject({ code: OtErrorCode.INVALID_OP });
  });

  it('transforms against the picked operations', () => {
    const incoming = new Delta().insert('x');
    expect(transformSince(incoming, 6, 7, rows)).toEqual({
      ok: true,
      value: new Delta().retain(2).insert('x'),
    });
    expect(transformSince(incoming, 9, 7, rows)).toMatchObject({ code: OtErrorCode.VERSION_AHEAD });
  });
});

describe('transformAgainstHistory: small cases', () => {
  // doc "abc\n"; each row: committed ops, incoming op, expected transformed op.
  const cases: [string, Delta[], Delta, Delta][] = [
    ['no history', [], new Delta().retain(1).insert('x'), new Delta().retain(1).insert('x')],
    [
      'insert vs insert at the same place: committed first',
      [new Delta().retain(1).insert('C')],
      new Delta().retain(1).insert('x'),
      new Delta().retain(2).insert('x'),
    ],
    [
      'insert before shifts',
      [new Delta().insert('CC')],
      new Delta().retain(2).delete(1),
      new Delta().retain(4).delete(1),
    ],
    [
      'insert after does not shift',
      [new Delta().retain(3).insert('C')],
      new Delta().retain(1).insert('x'),
      new Delta().retain(1).insert('x'),
    ],
    [
      'delete before shifts back',
      [new Delta().delete(2)],
      new Delta().retain(3).insert('x'),
      new Delta().retain(1).insert('x'),
    ],
    [
      'delete vs delete of the same text',
      [new Delta().retain(1).delete(1)],
      new Delta().retain(1).delete(2),
      new Delta().retain(1).delete(1),
    ],
    [
      'insert inside a deleted range survives',
      [new Delta().delete(3)],
      new Delta().retain(1).insert('x'),
      new Delta().insert('x'),
    ],
    [
      'format vs format: committed wins',
      [new Delta().retain(3, { bold: true })],
      new Delta().retain(3, { bold: null, italic: true }),
      new Delta().retain(3, { italic: true }),
    ],
    [
      'format of deleted text disappears',
      [new Delta().delete(3)],
      new Delta().retain(3, { bold: true }),
      new Delta(),
    ],
    [
      'two steps',
      [new Delta().insert('A'), new Delta().retain(4).insert('B')],
      new Delta().retain(3).insert('x'),
      new Delta().retain(5).insert('x'),
    ],
  ];
  it.each(cases)('%s', (_name, committed, incoming, expected) => {
    expect(transformAgainstHistory(incoming, committed)).toEqual(expected);
  });
});

/**
 * What a client does with the operations it receives while its own op is in
 * flight: one at a time, it transforms each received op past its pending op
 * and its pending op past the received op (the client state machine).
 */
function clientSide(doc: Delta, incoming: Delta, committed: readonly Delta[]): Delta {
  let result = doc.compose(incoming);
  let pending = incoming;
  for (const c of committed) {
    result = result.compose(pending.transform(c, false));
    pending = c.transform(pending, true);
  }
  return result;
}

describe('transformAgainstHistory: step by step, not against the composition', () => {
  // Found by the property below (seed -525250100) when it still compared with
  // composed.transform(op, true). Committed op 1 inserts "\n" at 5, where the
  // incoming op also inserts "\n"; committed op 3 deletes that "\n" again.
  // The composition no longer holds the insert that won the tie, so
  // transforming against it places the incoming "\n" elsewhere than clients,
  // which receive and transform the committed ops one at a time, do.
  const doc = new Delta([
    { insert: { divider: true } },
    { insert: 'é 👩‍💻ΩΩ 🇫🇷éé' },
    { insert: 'ba中', attributes: { link: 'http://example.org/a?b=c#d', underline: true } },
    { insert: { image: 'http://img.example.org/x.gif' } },
    { insert: '中z7👍🏽\n' },
  ]);
  const committed = [
    new Delta([{ retain: 5 }, { insert: '\n' }, { retain: 1 }, { insert: 'aa' }]),
    new Delta([]),
    new Delta([{ retain: 3 }, { insert: '\n' }, { retain: 2 }, { delete: 2 }]),
  ];
  const incoming = new Delta([{ insert: 'a' }, { retain: 5 }, { insert: '\n' }]);

  it('converges with clients where the composition shortcut would not', () => {
    const head = committed.reduce((d, c) => d.compose(c), doc);
    const stepwise = transformAgainstHistory(incoming, committed);
    const composed = committed.reduce((a, b) => a.compose(b)).transform(incoming, true);
    expect(stepwise).not.toEqual(composed);
    expect(head.compose(stepwise)).toEqual(clientSide(doc, incoming, committed));
    expect(head.compose(composed)).not.toEqual(clientSide(doc, incoming, committed));
  });
});

describe('transformAgainstHistory: properties', () => {
  const arbScenario = fc
    .integer({ min: 1, max: 4 })
    .chain((k) =>
      arbDocument().chain((doc) =>
        fc
          .tuple(arbOpSequence(doc, k), arbOpFor(doc))
          .map(([committed, incoming]) => ({ doc, committed, incoming })),
      ),
    );

  it('converges with clients and stays valid at the head (3,000 runs)', () => {
    fc.assert(
      fc.property(arbScenario, ({ doc, committed, incoming }) => {
        const stepwise = transformAgainstHistory(incoming, committed);
        // Server order: the committed ops, then the transformed incoming op.
        const head = committed.reduce((d, c) => d.compose(c), doc);
        const server = head.compose(stepwise);
        expect(clientSide(doc, incoming, committed)).toEqual(server);

        // An op valid at its base stays valid at the head, and applies like compose.
        const serverDoc = ChunkedDocument.fromDelta(head);
        expect(validateOp(stepwise, serverDoc)).toEqual({ ok: true, value: stepwise });
        expect(serverDoc.apply(stepwise).toDelta()).toEqual(server);
      }),
      { numRuns: 3_000 },
    );
  });
});
