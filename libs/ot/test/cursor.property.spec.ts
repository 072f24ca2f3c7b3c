/**
 * Properties of caret and selection transform (src/cursor.ts) on valid
 * documents and operations. A failing run prints its seed and path; its
 * shrunk counterexample becomes a fixed case in src/cursor.spec.ts.
 */
import fc from 'fast-check';
import type Delta from 'quill-delta';
import {
  transformPosition,
  transformSelection,
  untransformPosition,
  type DeltaSelection,
} from '../src/cursor';
import { arbDocWithConcurrentOps, arbDocument, arbOpFor } from './arbitraries';
import { deletedRanges } from './deleted-ranges';

const RUNS = 10_000;

/** Positions that do not fall inside a surrogate pair, 0..length inclusive. */
function boundaries(doc: Delta): number[] {
  const out = [0];
  let at = 0;
  for (const op of doc.ops) {
    const units = typeof op.insert === 'string' ? [...op.insert] : ['\u0000'];
    for (const unit of units) out.push((at += unit.length));
  }
  return out;
}

/** The ranges [start, end] (inclusive: both edges) that `delta` inserts, in the document after it. */
function insertedRanges(delta: Delta): Array<[number, number]> {
  const ranges: Array<[number, number]> = [];
  let at = 0;
  for (const op of delta.ops) {
    if (op.insert != null) {
      const length = typeof op.insert === 'string' ? op.insert.length : 1;
      ranges.push([at, at + length]);
      at += length;
    } else if (op.retain != null) {
      at += typeof op.retain === 'number' ? op.retain : 1;
    }
  }
  return ranges;
}

/** A document, an operation on it, and two positions i <= j in 0..length. */
const arbTwoPositions = arbDocument().chain((doc) =>
  fc
    .tuple(arbOpFor(doc), fc.nat(doc.length()), fc.nat(doc.length()), fc.boolean())
    .map(([op, x, y, ownEdit]) => ({ doc, op, i: Math.min(x, y), j: Math.max(x, y), ownEdit })),
);

describe('cursor transform properties', () => {
  it('transformPosition is monotone: i <= j implies t(i) <= t(j), for the same delta and flag', () => {
    fc.assert(
      fc.property(arbTwoPositions, ({ op, i, j, ownEdit }) => {
        expect(transformPosition(i, op, ownEdit)).toBeLessThanOrEqual(transformPosition(j, op, ownEdit));
      }),
      { numRuns: RUNS },
    );
  });

  it('stays in the document, on a code point boundary, and an own edit never leaves the caret before a remote one', () => {
    fc.assert(
      fc.property(
        arbDocument().chain((doc) =>
          fc.tuple(fc.constant(doc), arbOpFor(doc), fc.constantFrom(...boundaries(doc))),
        ),
        ([doc, op, i]) => {
          const after = new Set(boundaries(doc.compose(op)));
          const own = transformPosition(i, op, true);
          const remote = transformPosition(i, op, false);
          expect(after.has(own) && after.has(remote)).toBe(true);
          expect(remote).toBeLessThanOrEqual(own);
        },
      ),
      { numRuns: RUNS },
    );
  });

  it('selections keep their direction and collapsed selections stay collapsed', () => {
    fc.assert(
      fc.property(arbTwoPositions, fc.boolean(), ({ op, i, j, ownEdit }, backward) => {
        const sel: DeltaSelection = backward ? { anchor: j, head: i } : { anchor: i, head: j };
        const out = transformSelection(sel, op, ownEdit);
        if (i === j) expect(out.anchor).toBe(out.head);
        else if (backward) expect(out.anchor).toBeGreaterThanOrEqual(out.head);
        else expect(out.anchor).toBeLessThanOrEqual(out.head);
      }),
      { numRuns: RUNS },
    );
  });

  // Not in general: a caret inside text that one edit deletes collapses onto
  // the deletion point, and whether text the other edit inserts there lands
  // before or after it depends on the order (fixed case in src/cursor.spec.ts).
  it('a caret outside deleted text reaches the same place whichever order two concurrent remote edits arrive in', () => {
    fc.assert(
      fc.property(
        arbDocWithConcurrentOps(2).chain(({ doc, ops }) => fc.tuple(fc.constant(ops), fc.nat(doc.length()))),
        ([[a, b], i]) => {
          const insideDeleted = [...deletedRanges(a), ...deletedRanges(b)].some(([s, e]) => s < i && i <= e);
          fc.pre(!insideDeleted);
          const viaA = transformPosition(transformPosition(i, a, false), a.transform(b, true), false);
          const viaB = transformPosition(transformPosition(i, b, false), b.transform(a, false), false);
          expect(viaA).toBe(viaB);
        },
      ),
      { numRuns: RUNS },
    );
  });

  it('untransformPosition is monotone and undoes transformPosition away from edited text', () => {
    fc.assert(
      fc.property(arbTwoPositions, ({ doc, op, i, j, ownEdit }) => {
        const after = doc.compose(op).length();
        const [ri, rj] = [Math.min(i, after), Math.min(j, after)];
        expect(untransformPosition(ri, op)).toBeLessThanOrEqual(untransformPosition(rj, op));
        // Back then forth: identity except inside or at the edges of inserted text.
        if (!insertedRanges(op).some(([s, e]) => s <= ri && ri <= e)) {
          expect(transformPosition(untransformPosition(ri, op), op, ownEdit)).toBe(ri);
        }
        // Forth then back: identity except inside or at the end of a deleted range.
        if (!deletedRanges(op).some(([s, e]) => s < i && i <= e)) {
          expect(untransformPosition(transformPosition(i, op, ownEdit), op)).toBe(i);
        }
      }),
      { numRuns: RUNS },
    );
  });
});
