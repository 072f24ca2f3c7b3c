/**
 * The OT laws the system relies on, checked on quill-delta with valid
 * documents and operations of the shared format (see ./arbitraries.ts).
 *
 * Results are compared as documents (ops applied to a document), which is
 * what users see; the generators keep documents small so that 10,000 runs
 * stay fast, which loses nothing for these local laws.
 *
 * A failing run prints its seed and path; reproduce it with
 * `fc.assert(prop, { seed, path, endOnFailure: true })`, then add the shrunk
 * counterexample to transform.table.spec.ts as a fixed case.
 */
import fc from 'fast-check';
import type Delta from 'quill-delta';
import {
  arbDocWithConcurrentOps,
  arbDocWithOpSequence,
  arbDocument,
  arbOpFor,
  arbOpSequence,
  type OpKinds,
} from './arbitraries';
import { documentProblems } from './document-problems';

const RUNS = 10_000;

/** Cheap exact equality for the hot path; expect() gives the diff on failure. */
function expectSameDocument(actual: Delta, expected: Delta): void {
  if (JSON.stringify(actual) !== JSON.stringify(expected)) expect(actual).toEqual(expected);
}

/**
 * The attributed characters of a document as a sorted multiset: equal for
 * two documents that hold the same content in a possibly different order.
 */
function contentBag(doc: Delta): string {
  const items: string[] = [];
  for (const op of doc.ops) {
    const attrs = op.attributes ?? {};
    const key = JSON.stringify(attrs, Object.keys(attrs).sort());
    const units = typeof op.insert === 'string' ? [...op.insert] : [JSON.stringify(op.insert)];
    for (const unit of units) items.push(`${unit}${key}`);
  }
  return items.sort().join('\u0001');
}

/** A document, two consecutive operations a, b on it, and c concurrent with a (made on the same document). */
function arbComposeThenTransform(abKinds: OpKinds, cKinds: OpKinds) {
  return arbDocument().chain((doc) =>
    fc
      .tuple(arbOpSequence(doc, 2, abKinds), arbOpFor(doc, cKinds), fc.boolean())
      .map(([[a, b], c, priority]) => ({ doc, a, b, c, priority })),
  );
}

/** The two sides of "transforming against a composition equals transforming step by step". */
function composeThenTransform(x: {
  doc: Delta;
  a: Delta;
  b: Delta;
  c: Delta;
  priority: boolean;
}): [Delta, Delta] {
  const { doc, a, b, c, priority } = x;
  const ab = a.compose(b);
  const composed = doc.compose(ab).compose(ab.transform(c, priority));
  const stepwise = doc
    .compose(a)
    .compose(b)
    .compose(b.transform(a.transform(c, priority), priority));
  return [composed, stepwise];
}

describe('OT laws on quill-delta', () => {
  it('generated documents and operations are valid, and stay valid when applied (generator oracle)', () => {
    fc.assert(
      fc.property(arbDocWithOpSequence(3), ({ doc, ops }) => {
        expect(documentProblems(doc)).toEqual([]);
        let current = doc;
        for (const op of ops) {
          current = current.compose(op);
          expect(documentProblems(current)).toEqual([]);
        }
      }),
      { numRuns: 1_000 },
    );
  });

  it('convergence (TP1): d∘a∘a.transform(b, true) = d∘b∘b.transform(a, false), and the result is a valid document', () => {
    fc.assert(
      fc.property(arbDocWithConcurrentOps(2), ({ doc, ops: [a, b] }) => {
        const left = doc.compose(a).compose(a.transform(b, true));
        const right = doc.compose(b).compose(b.transform(a, false));
        expectSameDocument(left, right);
        const problems = documentProblems(left);
        if (problems.length > 0) expect(problems).toEqual([]);
      }),
      { numRuns: RUNS },
    );
  });

  it('compose is associative on documents: d∘a∘b∘c = d∘(a∘(b∘c)) = d∘((a∘b)∘c) = (d∘a)∘(b∘c)', () => {
    fc.assert(
      fc.property(arbDocWithOpSequence(3), ({ doc, ops: [a, b, c] }) => {
        const sequential = doc.compose(a).compose(b).compose(c);
        expectSameDocument(doc.compose(a.compose(b.compose(c))), sequential);
        expectSameDocument(doc.compose(a.compose(b).compose(c)), sequential);
        expectSameDocument(doc.compose(a).compose(b.compose(c)), sequential);
      }),
      { numRuns: RUNS },
    );
  });

  describe('transforming against a composition vs step by step: (a∘b).transform(c, p) vs b.transform(a.transform(c, p), p)', () => {
    // Not a law of quill-delta in general (nor of any OT on plain positions
    // without tombstones): when a deletion in a or b brings c's insertion
    // point next to an insert of a or b, the composed route and the stepwise
    // route break the insert-insert tie differently and the inserted texts
    // end up in a different order. See the fixed cases in
    // quill-delta.pinned.spec.ts. What does hold is checked here; what does not
    // means the server and the clients must transform against committed
    // operations one at a time, never against their composition.

    it('always: both routes give the same content (same attributed characters; only their order may differ)', () => {
      fc.assert(
        fc.property(arbComposeThenTransform({}, {}), (x) => {
          const [composed, stepwise] = composeThenTransform(x);
          const same = contentBag(composed) === contentBag(stepwise);
          if (!same) expect(composed).toEqual(stepwise);
        }),
        { numRuns: RUNS },
      );
    });

    it('exactly equal when c inserts nothing', () => {
      fc.assert(
        fc.property(arbComposeThenTransform({}, { inserts: false }), (x) => {
          const [composed, stepwise] = composeThenTransform(x);
          expectSameDocument(composed, stepwise);
        }),
        { numRuns: RUNS },
      );
    });

    it('exactly equal when a and b delete nothing', () => {
      fc.assert(
        fc.property(arbComposeThenTransform({ deletes: false }, {}), (x) => {
          const [composed, stepwise] = composeThenTransform(x);
          expectSameDocument(composed, stepwise);
        }),
        { numRuns: RUNS },
      );
    });
  });
});
