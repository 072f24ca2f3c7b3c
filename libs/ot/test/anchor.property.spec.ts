/**
 * Properties of comment anchors (src/anchors/anchor.ts) on valid documents
 * and operations. A failing run prints its seed and path; its shrunk
 * counterexample becomes a fixed case in src/anchors/anchor.spec.ts.
 */
import fc from 'fast-check';
import type Delta from 'quill-delta';
import {
  transformAnchor,
  transformAnchorThrough,
  transformIndex,
  type CommentAnchor,
} from '../src/anchors/anchor';
import { arbDocument, arbOpFor, arbOpSequence, type OpKinds } from './arbitraries';
import { deletedRanges } from './deleted-ranges';

const RUNS = 5_000;

/** A live anchor [from, to) with from < to inside a document of `length` (>= 2). */
function arbAnchorIn(length: number, version = 0): fc.Arbitrary<CommentAnchor> {
  return fc
    .tuple(fc.nat(length), fc.nat(length))
    .filter(([x, y]) => x !== y)
    .map(([x, y]) => ({ from: Math.min(x, y), to: Math.max(x, y), version, detached: false }));
}

/** True when `delta` deletes text inside the anchor or touching one of its edges. */
function deletesNear(delta: Delta, anchor: CommentAnchor): boolean {
  return deletedRanges(delta).some(([s, e]) => s <= anchor.to && e >= anchor.from);
}

function pairScenario(kinds: OpKinds) {
  return arbDocument()
    .filter((doc) => doc.length() >= 2)
    .chain((doc) =>
      fc.record({
        doc: fc.constant(doc),
        a: arbOpFor(doc, kinds),
        b: arbOpFor(doc, kinds),
        anchor: arbAnchorIn(doc.length()),
      }),
    );
}

function sequenceScenario(kinds: OpKinds) {
  return arbDocument()
    .filter((doc) => doc.length() >= 2)
    .chain((doc) =>
      fc.record({
        doc: fc.constant(doc),
        ops: fc.integer({ min: 1, max: 6 }).chain((n) => arbOpSequence(doc, n, kinds)),
        anchor: arbAnchorIn(doc.length()),
      }),
    );
}

function viaBothOrders(anchor: CommentAnchor, a: Delta, b: Delta): [CommentAnchor, CommentAnchor] {
  // The server commits a first: b is transformed against it with a winning ties.
  const viaA = transformAnchor(transformAnchor(anchor, a), a.transform(b, true));
  const viaB = transformAnchor(transformAnchor(anchor, b), b.transform(a, false));
  return [viaA, viaB];
}

function committed(ops: readonly Delta[], after: number) {
  return ops.map((delta, i) => ({ version: after + i + 1, delta }));
}

describe('comment anchor properties', () => {
  it("moves a position exactly as quill-delta's transformPosition, on every valid operation, either priority", () => {
    fc.assert(
      fc.property(
        arbDocument().chain((doc) =>
          fc.record({ op: arbOpFor(doc), index: fc.nat(doc.length() + 2), priority: fc.boolean() }),
        ),
        ({ op, index, priority }) => {
          expect(transformIndex(op.ops, index, priority)).toBe(op.transformPosition(index, priority));
        },
      ),
      { numRuns: RUNS },
    );
  });

  it('never runs past the end: 0 <= from <= to <= length, detached exactly when collapsed, and detached for good', () => {
    fc.assert(
      fc.property(sequenceScenario({}), ({ doc, ops, anchor }) => {
        let current = doc;
        let at = anchor;
        for (const op of ops) {
          const wasDetached = at.detached;
          current = current.compose(op);
          at = transformAnchor(at, op);
          expect(at.from).toBeGreaterThanOrEqual(0);
          expect(at.to).toBeLessThanOrEqual(current.length());
          expect(at.detached).toBe(at.from === at.to);
          if (wasDetached) expect(at.detached).toBe(true);
        }
        expect(at.version).toBe(ops.length);
      }),
      { numRuns: RUNS },
    );
  });

  it('the same anchor on every replica, whichever order two concurrent edits are committed in, when neither deletes at or inside it', () => {
    fc.assert(
      fc.property(pairScenario({}), ({ a, b, anchor }) => {
        fc.pre(!deletesNear(a, anchor) && !deletesNear(b, anchor));
        const [viaA, viaB] = viaBothOrders(anchor, a, b);
        expect(viaA).toEqual(viaB);
      }),
      { numRuns: RUNS },
    );
  });

  it('the same anchor in either order for any two concurrent edits that only insert and format', () => {
    fc.assert(
      fc.property(pairScenario({ deletes: false }), ({ a, b, anchor }) => {
        const [viaA, viaB] = viaBothOrders(anchor, a, b);
        expect(viaA).toEqual(viaB);
      }),
      { numRuns: RUNS },
    );
  });

  it('the same anchor in either order for any two concurrent edits that only delete and format', () => {
    fc.assert(
      fc.property(pairScenario({ inserts: false }), ({ a, b, anchor }) => {
        const [viaA, viaB] = viaBothOrders(anchor, a, b);
        expect(viaA).toEqual(viaB);
      }),
      { numRuns: RUNS },
    );
  });

  it('transforming through a composition equals transforming step by step, for edits that only insert and format', () => {
    fc.assert(
      fc.property(sequenceScenario({ deletes: false }), ({ ops, anchor }) => {
        const composed = ops.reduce((acc, op) => acc.compose(op));
        const stepwise = transformAnchorThrough(anchor, committed(ops, 0));
        expect({ ...transformAnchor(anchor, composed), version: stepwise.version }).toEqual(stepwise);
      }),
      { numRuns: RUNS },
    );
  });

  it('transforming through a composition equals transforming step by step, for edits that only delete and format', () => {
    fc.assert(
      fc.property(sequenceScenario({ inserts: false }), ({ ops, anchor }) => {
        const composed = ops.reduce((acc, op) => acc.compose(op));
        const stepwise = transformAnchorThrough(anchor, committed(ops, 0));
        expect({ ...transformAnchor(anchor, composed), version: stepwise.version }).toEqual(stepwise);
      }),
      { numRuns: RUNS },
    );
  });

  it('a moved anchor persisted at any version and moved on from there equals moving the original', () => {
    fc.assert(
      fc.property(
        sequenceScenario({}).chain((s) => fc.tuple(fc.constant(s), fc.nat(s.ops.length))),
        ([{ ops, anchor }, split]) => {
          const log = committed(ops, 0);
          const persisted = transformAnchorThrough(anchor, log.slice(0, split));
          expect(persisted.version).toBe(split);
          // The reader pages the log from the persisted version; pages may overlap it.
          expect(transformAnchorThrough(persisted, log)).toEqual(transformAnchorThrough(anchor, log));
        },
      ),
      { numRuns: RUNS },
    );
  });
});
