import fc from 'fast-check';
import Delta from 'quill-delta';
import { arbDocument, arbInlineAttributes, documentAtoms } from '../../ot/test/arbitraries';
import { docToDelta } from '../src/convert/doc-to-delta';
import { applyDelta } from '../src/remote/apply-delta';
import { stateOf } from './editor-fixture';

const fraction = fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true });

/*
 * libs/ot's generators put inline formats on text only, but the server also
 * accepts them on "\n" (a Quill client formatting a range that spans lines
 * sends exactly that). The editor keeps them on the line (newlineMarks).
 */
describe('remote inline formats over line ends', () => {
  it('formats any range, newlines included, exactly as compose does', () => {
    fc.assert(
      fc.property(
        arbDocument({ maxPieces: 10 }),
        fraction,
        fraction,
        arbInlineAttributes(true),
        (doc, x, y, attributes) => {
          const atoms = documentAtoms(doc);
          const offsets = [0];
          for (const atom of atoms) offsets.push(offsets[offsets.length - 1] + atom.length);
          const i = Math.floor(x * offsets.length);
          const j = Math.floor(y * offsets.length);
          const [from, to] = [offsets[Math.min(i, j)], offsets[Math.max(i, j)]];
          if (from === to || Object.keys(attributes).length === 0) return;
          const op = new Delta().retain(from).retain(to - from, attributes);
          const result = applyDelta(stateOf(doc), op);
          if (!result.ok) throw new Error(result.message);
          expect(docToDelta(result.value.doc)).toEqual(doc.compose(op));
        },
      ),
      { numRuns: 1500 },
    );
  });
});
