import fc from 'fast-check';
import type Delta from 'quill-delta';
import { arbDocument, arbEditRecipe, opFromRecipe } from '../../../ot/test/arbitraries';
import { transformStack, undoEntry } from './undo-stack';

/** The plain algorithm the fast path must agree with (Quill's history transform). */
function slowTransform(stack: readonly Delta[], change: Delta): Delta[] {
  const out: Delta[] = new Array<Delta>(stack.length);
  let remote = change;
  for (let i = stack.length - 1; i >= 0; i--) {
    out[i] = remote.transform(stack[i], true);
    remote = stack[i].transform(remote, false);
  }
  return out.filter((d) => d.ops.length > 0);
}

describe('transformStack', () => {
  it('equals the full pairwise transform, fast path or not', () => {
    fc.assert(
      fc.property(
        arbDocument({ maxPieces: 12 }),
        fc.array(arbEditRecipe(), { minLength: 1, maxLength: 6 }),
        arbEditRecipe(),
        (doc, recipes, remoteRecipe) => {
          // Entries as on a real stack: the top applies to doc, each lower one to the document after the ones above it.
          const stack: Delta[] = [];
          let current = doc;
          for (const recipe of recipes) {
            const op = opFromRecipe(current, recipe, { formats: true });
            stack.unshift(op);
            current = current.compose(op);
          }
          const remote = opFromRecipe(doc, remoteRecipe);
          const fast = transformStack(stack.map(undoEntry), remote).map((e) => e.delta.ops);
          expect(fast).toEqual(slowTransform(stack, remote).map((d) => d.ops));
        },
      ),
      { numRuns: 3000 },
    );
  });
});
