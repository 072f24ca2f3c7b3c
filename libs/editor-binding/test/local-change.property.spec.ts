import fc from 'fast-check';
import { ChunkedDocument, validateOp } from '@collab/ot';
import { arbDocument } from '../../ot/test/arbitraries';
import { docToDelta } from '../src/convert/doc-to-delta';
import { localChangeOf } from '../src/local/local-change';
import { stateOf } from './editor-fixture';
import { arbLocalEdit, localEditTransaction } from './local-edits';

/*
 * The central property of the local side: for any document and any sequence
 * of edits a person can make, the Delta produced from each transaction's
 * steps, composed onto the Delta of the document before, is exactly the
 * Delta of the document after; and it is an operation the server accepts on
 * that document.
 */
describe('local transactions -> Delta', () => {
  it('Delta(after) = Delta(before).compose(change), and the server accepts the change', () => {
    let applied = 0;
    fc.assert(
      fc.property(
        arbDocument({ maxPieces: 10 }),
        fc.array(arbLocalEdit(), { minLength: 1, maxLength: 8 }),
        (doc, edits) => {
          let state = stateOf(doc);
          for (const edit of edits) {
            const tr = localEditTransaction(state, edit);
            if (!tr || !tr.docChanged) continue;
            const before = docToDelta(state.doc);
            const result = localChangeOf(tr);
            if (!result.ok) throw new Error(`${edit.kind} refused: ${result.code} ${result.message}`);
            const change = result.value;
            const after = docToDelta(tr.doc);
            expect(change === null ? before : before.compose(change)).toEqual(after);
            if (change !== null) {
              const accepted = validateOp(change, ChunkedDocument.fromDelta(before));
              if (!accepted.ok)
                throw new Error(`server refuses ${edit.kind}: ${accepted.code} ${accepted.message}`);
            }
            // The sync plugin's filter lets every one of them through.
            const next = state.applyTransaction(tr);
            expect(next.transactions.length).toBeGreaterThan(0);
            state = next.state;
            applied++;
          }
        },
      ),
      { numRuns: 4000 },
    );
    // Guards against a generator that silently stopped producing edits.
    expect(applied).toBeGreaterThan(8000);
  });
});
