import { isDeepStrictEqual } from 'node:util';
import fc from 'fast-check';
import Delta, { type AttributeMap } from 'quill-delta';
import { arbDocWithOpSequence } from '../test/arbitraries';
import { ChunkedDocument, type ChunkedDocumentOptions } from './chunked-document';

/** The document's code units, embeds as U+FFFC, from a quill-delta document. */
function textOf(delta: Delta): string {
  return delta.ops.map((op) => (typeof op.insert === 'string' ? op.insert : '\ufffc')).join('');
}

/** Checks every read-only view of `doc` against the expected delta (expect() only on a difference: it is slow). */
function expectSame(doc: ChunkedDocument, expected: Delta): void {
  expectInvariants(doc);
  expectDelta(doc.toDelta(), expected);
  const text = textOf(expected);
  const units: number[] = [];
  for (let i = 0; i < text.length; i++) units.push(doc.codeUnitAt(i));
  const wanted: number[] = [];
  for (let i = 0; i < text.length; i++) wanted.push(text.charCodeAt(i) === 0xfffc ? -1 : text.charCodeAt(i));
  if (doc.length !== text.length || doc.toText() !== text || !isDeepStrictEqual(units, wanted)) {
    expect({ length: doc.length, text: doc.toText(), units }).toEqual({
      length: text.length,
      text,
      units: wanted,
    });
  }
}

/** The representation invariants from the comment at the top of chunked-document.ts. */
function expectInvariants(doc: ChunkedDocument): void {
  const inner = doc as unknown as {
    chunks: { runs: { insert: unknown }[]; length: number }[];
    limits: { chunkMax: number; maxRuns: number };
  };
  const problems: string[] = [];
  let total = 0;
  inner.chunks.forEach((chunk, c) => {
    let length = 0;
    for (const run of chunk.runs) {
      const n = typeof run.insert === 'string' ? run.insert.length : 1;
      if (n === 0) problems.push(`chunk ${c}: empty run`);
      length += n;
    }
    if (length !== chunk.length) problems.push(`chunk ${c}: length ${chunk.length}, runs hold ${length}`);
    if (length === 0) problems.push(`chunk ${c}: empty`);
    if (length > inner.limits.chunkMax) problems.push(`chunk ${c}: ${length} units`);
    if (chunk.runs.length > inner.limits.maxRuns) problems.push(`chunk ${c}: ${chunk.runs.length} runs`);
    total += length;
  });
  if (total !== doc.length) problems.push(`length ${doc.length}, chunks hold ${total}`);
  expect(problems).toEqual([]);
}

function expectDelta(actual: Delta, expected: Delta): void {
  if (!isDeepStrictEqual(actual.ops, expected.ops)) expect(actual.ops).toEqual(expected.ops);
}

// Tiny chunks force splits, merges and multi-chunk ranges on small documents.
const LAYOUTS: readonly ChunkedDocumentOptions[] = [
  { chunkSize: 4, maxRuns: 2 },
  { chunkSize: 8, maxRuns: 3 },
  { chunkSize: 16, maxRuns: 64 },
  {},
];

// ---- a generator of its own, independent of test/arbitraries.ts ------------
// It works on code units (ChunkedDocument does not care about surrogate pairs;
// validateOp does), produces long inserts and deletes that cross many chunks,
// and formats ranges with any attributes, nulls included.

const arbAttributes = (allowNull: boolean): fc.Arbitrary<AttributeMap | undefined> =>
  fc.option(
    fc
      .dictionary(
        fc.constantFrom('bold', 'italic', 'link', 'header'),
        allowNull
          ? fc.constantFrom<unknown>(true, 'https://a.example/', 2, null)
          : fc.constantFrom<unknown>(true, 'https://a.example/', 2),
        { maxKeys: 2 },
      )
      .map((a) => a as AttributeMap),
    { nil: undefined },
  );

const arbInsert = fc.oneof(
  {
    arbitrary: fc.string({ unit: fc.constantFrom('a', 'b', '\n', '😀', 'é'), minLength: 1, maxLength: 6 }),
    weight: 6,
  },
  { arbitrary: fc.integer({ min: 20, max: 90 }).map((n) => 'x'.repeat(n)), weight: 1 },
  {
    arbitrary: fc.constantFrom<Record<string, unknown>>(
      { image: 'https://i.example/a.png' },
      { divider: true },
    ),
    weight: 1,
  },
);

const arbDoc: fc.Arbitrary<Delta> = fc
  .array(fc.tuple(arbInsert, arbAttributes(false)), { maxLength: 12 })
  .map((pieces) => {
    const d = new Delta();
    for (const [insert, attributes] of pieces) d.insert(insert, attributes);
    return d.insert('\n');
  });

type Step = {
  kind: 'retain' | 'delete' | 'insert';
  n: number;
  insert: string | Record<string, unknown>;
  attributes?: AttributeMap;
};

const arbSteps = fc.array(
  fc.record({
    kind: fc.constantFrom<Step['kind']>('retain', 'retain', 'delete', 'insert'),
    n: fc.integer({ min: 1, max: 40 }),
    insert: arbInsert,
    attributes: arbAttributes(true),
  }),
  { maxLength: 8 },
);

/** Builds an op valid in range for a document of `length` from arbitrary steps. */
function buildOp(length: number, steps: readonly Step[]): Delta {
  const op = new Delta();
  let left = length;
  for (const step of steps) {
    if (step.kind === 'insert') {
      const attributes =
        step.attributes && Object.fromEntries(Object.entries(step.attributes).filter(([, v]) => v !== null));
      op.insert(step.insert, attributes);
    } else if (left > 0) {
      const n = Math.min(step.n, left);
      left -= n;
      if (step.kind === 'retain') op.retain(n, step.attributes);
      else op.delete(n);
    }
  }
  return op.chop();
}

describe('ChunkedDocument', () => {
  it('starts as the empty document "\\n"', () => {
    const doc = ChunkedDocument.empty();
    expect(doc.length).toBe(1);
    expect(doc.toDelta()).toEqual(new Delta().insert('\n'));
  });

  it('normalizes its input the way quill-delta does', () => {
    const doc = ChunkedDocument.fromDelta([
      { insert: 'a', attributes: { bold: true } },
      { insert: 'b', attributes: { bold: true } },
      { insert: 'c', attributes: {} },
      { insert: '\n' },
    ]);
    expect(doc.toDelta().ops).toEqual([{ insert: 'ab', attributes: { bold: true } }, { insert: 'c\n' }]);
  });

  it('refuses a delta that is not a document', () => {
    expect(() => ChunkedDocument.fromDelta([{ retain: 1 }])).toThrow(TypeError);
  });

  it('answers codeUnitAt for text, embeds and out-of-range indexes', () => {
    const doc = ChunkedDocument.fromDelta(new Delta().insert('a😀').insert({ divider: true }).insert('\n'));
    expect(doc.codeUnitAt(0)).toBe(97);
    expect(doc.codeUnitAt(1)).toBe(0xd83d);
    expect(doc.codeUnitAt(2)).toBe(0xde00);
    expect(doc.codeUnitAt(3)).toBe(-1);
    expect(doc.codeUnitAt(4)).toBe(10);
    expect(doc.codeUnitAt(5)).toBeNaN();
    expect(doc.codeUnitAt(-1)).toBeNaN();
    expect(doc.codeUnitAt(0.5)).toBeNaN();
  });

  it('answers isAllNewlines across runs and chunks', () => {
    const doc = ChunkedDocument.fromDelta(
      new Delta()
        .insert('\n\n', { header: 1 })
        .insert('\n\n')
        .insert('a')
        .insert({ divider: true })
        .insert('\n'),
      { chunkSize: 4 },
    );
    expect(doc.isAllNewlines(0, 4)).toBe(true);
    expect(doc.isAllNewlines(1, 2)).toBe(true);
    expect(doc.isAllNewlines(3, 2)).toBe(false);
    expect(doc.isAllNewlines(5, 1)).toBe(false);
    expect(doc.isAllNewlines(6, 1)).toBe(true);
    expect(doc.isAllNewlines(6, 2)).toBe(false);
    expect(doc.isAllNewlines(2, 0)).toBe(true);
  });

  it('hands out copies: changing the returned delta does not change the document', () => {
    const doc = ChunkedDocument.fromDelta(
      new Delta().insert('ab', { bold: true }).insert({ image: 'https://x/y.png' }).insert('\n'),
    );
    const first = doc.toDelta();
    (first.ops[0].attributes as AttributeMap).bold = null;
    (first.ops[1].insert as Record<string, unknown>).image = 'javascript:alert(1)';
    expect(doc.toDelta()).toEqual(
      new Delta().insert('ab', { bold: true }).insert({ image: 'https://x/y.png' }).insert('\n'),
    );
  });

  it('does not keep references to the applied operation', () => {
    const doc = ChunkedDocument.empty();
    const op = new Delta().insert('hi', { bold: true });
    doc.apply(op);
    (op.ops[0].attributes as AttributeMap).bold = null;
    expect(doc.toDelta()).toEqual(new Delta().insert('hi', { bold: true }).insert('\n'));
  });

  it('handles a long paste in the middle and deleting all but the final newline', () => {
    for (const layout of LAYOUTS) {
      const start = new Delta().insert('hello ').insert('world', { italic: true }).insert('\n');
      const doc = ChunkedDocument.fromDelta(start, layout);
      const paste = new Delta().retain(6).insert('p'.repeat(5000), { bold: true });
      let expected = start.compose(paste);
      doc.apply(paste);
      expectSame(doc, expected);
      const wipe = new Delta().delete(expected.length() - 1);
      expected = expected.compose(wipe);
      doc.apply(wipe);
      expectSame(doc, expected);
      expect(expected).toEqual(new Delta().insert('\n'));
    }
  });

  it('replays 2,000 single-character edits like compose (typing, backspacing, formatting)', () => {
    for (const layout of LAYOUTS) {
      let expected = new Delta().insert('\n');
      const doc = ChunkedDocument.fromDelta(expected, layout);
      let seed = 7;
      const next = (n: number): number => {
        seed = (seed * 1103515245 + 12345) % 2147483648;
        return seed % n;
      };
      for (let i = 0; i < 2000; i++) {
        const length = expected.length();
        const choice = next(10);
        let op: Delta;
        if (choice < 6 || length < 3)
          op = new Delta().retain(next(length)).insert(next(4) === 0 ? '\n' : 'k');
        else if (choice < 9) op = new Delta().retain(next(length - 1)).delete(1);
        else op = new Delta().retain(next(length - 2)).retain(2, { bold: next(2) === 0 ? true : null });
        op.chop();
        expected = expected.compose(op);
        doc.apply(op);
      }
      expectSame(doc, expected);
    }
  });

  it('matches Delta#compose on op sequences from the shared generators (10,000 runs)', () => {
    fc.assert(
      fc.property(arbDocWithOpSequence(3), fc.constantFrom(...LAYOUTS), ({ doc, ops }, layout) => {
        const server = ChunkedDocument.fromDelta(doc, layout);
        let expected = doc;
        for (const op of ops) {
          expected = expected.compose(op);
          expectDelta(server.apply(op).toDelta(), expected);
        }
        expectSame(server, expected);
      }),
      { numRuns: 10_000 },
    );
  });

  it('matches Delta#compose on larger ops that cross many chunks (3,000 runs)', () => {
    fc.assert(
      fc.property(
        arbDoc,
        fc.array(arbSteps, { minLength: 1, maxLength: 4 }),
        fc.constantFrom(...LAYOUTS),
        (doc, opSteps, layout) => {
          const server = ChunkedDocument.fromDelta(doc, layout);
          let expected = doc;
          for (const steps of opSteps) {
            const op = buildOp(expected.length(), steps);
            expected = expected.compose(op);
            server.apply(op);
            expectDelta(server.toDelta(), expected);
          }
          expectSame(server, expected);
        },
      ),
      { numRuns: 3_000 },
    );
  });
});
