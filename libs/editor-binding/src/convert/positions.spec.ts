import fc from 'fast-check';
import Delta from 'quill-delta';
import { arbDocument } from '../../../ot/test/arbitraries';
import { docOf } from '../../test/editor-fixture';
import { deltaLength, indexToPm, lineAt, locateIndex } from './positions';

describe('locateIndex', () => {
  it('is indexToPm and the line lineAt finds there, in one walk, with or without a start hint', () => {
    fc.assert(
      fc.property(arbDocument({ maxPieces: 12 }), (delta) => {
        const doc = docOf(delta);
        const length = deltaLength(doc);
        let previous = locateIndex(doc, 0);
        for (let index = 0; index <= length + 1; index++) {
          const at = locateIndex(doc, index);
          const line = lineAt(doc, at.pos)!;
          expect([index, at.pos, at.linePos, at.line, at.node]).toEqual([
            index,
            indexToPm(doc, index),
            line.pos,
            line.index,
            line.node,
          ]);
          // The line's first character is at the position just inside it.
          expect(indexToPm(doc, at.lineStart)).toBe(at.linePos + 1);
          expect(locateIndex(doc, index, previous)).toEqual(at);
          previous = at;
        }
      }),
      { numRuns: 500 },
    );
  });

  it('clamps like indexToPm: before the start, and past the final newline', () => {
    const doc = docOf(new Delta().insert('ab\ncd\n'));
    expect(locateIndex(doc, -3)).toEqual({ pos: 1, node: doc.child(0), linePos: 0, line: 0, lineStart: 0 });
    expect(locateIndex(doc, 99)).toEqual({ pos: 7, node: doc.child(1), linePos: 4, line: 1, lineStart: 3 });
  });
});
