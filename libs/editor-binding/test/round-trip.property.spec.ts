import fc from 'fast-check';
import Delta from 'quill-delta';
import { OtErrorCode } from '@collab/ot';
import { arbDocument } from '../../ot/test/arbitraries';
import { deltaToDoc } from '../src/convert/delta-to-doc';
import { deltaBetween, docToDelta } from '../src/convert/doc-to-delta';
import { deltaLength, indexToPm, pmToIndex } from '../src/convert/positions';
import { docOf, schema, stateOf } from './editor-fixture';
import { arbLocalEdit, localEditTransaction } from './local-edits';

describe('docToDelta / deltaToDoc', () => {
  it('docToDelta(deltaToDoc(d)) = d for every valid document', () => {
    fc.assert(
      fc.property(arbDocument({ maxPieces: 24 }), (doc) => {
        expect(docToDelta(docOf(doc))).toEqual(doc);
      }),
      { numRuns: 3000 },
    );
  });

  it('deltaToDoc(docToDelta(n)) = n for editor documents reached by editing', () => {
    fc.assert(
      fc.property(arbDocument(), fc.array(arbLocalEdit(), { maxLength: 5 }), (doc, edits) => {
        let state = stateOf(doc);
        for (const edit of edits) {
          const tr = localEditTransaction(state, edit);
          if (tr) state = state.apply(tr);
        }
        const back = deltaToDoc(schema, docToDelta(state.doc));
        expect(back.ok && back.value.eq(state.doc)).toBe(true);
      }),
      { numRuns: 1000 },
    );
  });

  it('keeps the distinctions a lossy schema would drop', () => {
    const doc = new Delta()
      .insert('code', { code: true, bold: true })
      .insert({ image: 'https://example.com/a.png' }, { link: 'https://example.com/' })
      .insert('\n', {
        header: 2,
        list: 'checked',
        'code-block': true,
        blockquote: true,
        align: 'left',
        indent: 0,
      })
      .insert('\n', { bold: true })
      .insert({ divider: true })
      .insert('\n');
    expect(docToDelta(docOf(doc))).toEqual(doc);
    // indent 0 and no indent are different documents
    expect(docOf([{ insert: '\n', attributes: { indent: 0 } }]).eq(docOf([{ insert: '\n' }]))).toBe(false);
  });

  it('refuses invalid documents with the libs/ot code', () => {
    const cases: [unknown, string][] = [
      [[{ insert: 'no final newline' }], OtErrorCode.MISSING_FINAL_NEWLINE],
      [[{ insert: 'x', attributes: { header: 1 } }, { insert: '\n' }], OtErrorCode.INVALID_ATTRIBUTES],
      [
        [{ insert: 'x', attributes: { link: 'javascript:alert(1)' } }, { insert: '\n' }],
        OtErrorCode.INVALID_ATTRIBUTES,
      ],
      [[{ insert: { video: 'x' } }, { insert: '\n' }], OtErrorCode.INVALID_OP],
      [[{ retain: 1 }], OtErrorCode.INVALID_OP],
      [[{ insert: '\ud800\n' }], OtErrorCode.INVALID_TEXT],
      ['not a delta', OtErrorCode.INVALID_OP],
    ];
    for (const [input, code] of cases) {
      const result = deltaToDoc(schema, input);
      expect(result.ok ? 'ok' : result.code).toBe(code);
    }
  });
});

describe('positions', () => {
  it('pmToIndex counts exactly the Delta characters before a position, and indexToPm inverts it', () => {
    fc.assert(
      fc.property(arbDocument({ maxPieces: 12 }), (delta) => {
        const doc = docOf(delta);
        expect(deltaLength(doc)).toBe(delta.length());
        for (let pos = 0; pos <= doc.content.size; pos++) {
          expect(pmToIndex(doc, pos)).toBe(deltaBetween(doc, 0, pos).length());
          const $pos = doc.resolve(pos);
          // Positions inside a line's content are the canonical ones: the round trip is exact there.
          if ($pos.parent.isTextblock) expect(indexToPm(doc, pmToIndex(doc, pos))).toBe(pos);
        }
        for (let index = 0; index < delta.length(); index++) {
          const pos = indexToPm(doc, index);
          expect(doc.resolve(pos).parent.isTextblock).toBe(true);
          expect(pmToIndex(doc, pos)).toBe(index);
        }
      }),
      { numRuns: 400 },
    );
  });
});
