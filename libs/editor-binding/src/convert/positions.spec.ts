import fc from 'fast-check';
import Delta from 'quill-delta';
import { arbDocument } from '../../../ot/test/arbitraries';
import { docOf } from '../../test/editor-fixture';
import { deltaLength, indexToPm, lineAt, locateIndex, pmRange, pmRanges } from './positions';

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

describe('pmRanges', () => {
  it('is pmRange of each range, for ranges in order (one walk) and in any order', () => {
    fc.assert(
      fc.property(
        arbDocument({ maxPieces: 12 }),
        fc.array(fc.tuple(fc.nat(), fc.nat()), { maxLength: 30 }),
        fc.boolean(),
        (delta, cuts, sorted) => {
          const doc = docOf(delta);
          const length = deltaLength(doc);
          // Ranges within (and a little past) the document, as the attribution's runs cover it.
          let ranges = cuts.map(([a, b]) => {
            const start = a % (length + 2);
            return { start, end: start + (b % (length + 2 - start)) };
          });
          if (sorted) ranges = [...ranges].sort((x, y) => x.start - y.start || x.end - y.end);
          expect(pmRanges(doc, ranges)).toEqual(ranges.map((r) => pmRange(doc, r.start, r.end)));
        },
      ),
      { numRuns: 500 },
    );
  });

  it('maps runs that cover a document of several lines exactly', () => {
    const doc = docOf(new Delta().insert('ab\ncd\n\nef\n'));
    const runs = [
      { start: 0, end: 2 },
      { start: 2, end: 4 },
      { start: 4, end: 7 },
      { start: 7, end: 10 },
    ];
    expect(pmRanges(doc, runs)).toEqual(runs.map((r) => pmRange(doc, r.start, r.end)));
    expect(pmRanges(doc, runs).at(-1)?.[1]).toBe(doc.content.size);
  });
});
