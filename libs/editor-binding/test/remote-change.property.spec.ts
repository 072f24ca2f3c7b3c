import fc from 'fast-check';
import Delta from 'quill-delta';
import { TextSelection } from '@tiptap/pm/state';
import { ReplaceStep } from '@tiptap/pm/transform';
import { OtErrorCode, transformSelection } from '@collab/ot';
import { arbDocument, arbEditRecipe, opFromRecipe } from '../../ot/test/arbitraries';
import { docToDelta } from '../src/convert/doc-to-delta';
import { indexToPm, pmToIndex } from '../src/convert/positions';
import { applyDelta } from '../src/remote/apply-delta';
import { ChangeOrigin } from '../src/local/change-origin';
import { isForeign } from '../src/local/change-origin';
import { localChangeOf } from '../src/local/local-change';
import { BindingErrorCode } from '../src/binding-errors';
import { stateOf } from './editor-fixture';

const fraction = fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true });

describe('remote Delta -> transaction', () => {
  it('the editor document becomes Delta(before).compose(remote), and the selection moves as libs/ot moves carets', () => {
    fc.assert(
      fc.property(
        arbDocument({ maxPieces: 10 }),
        fc.array(fc.tuple(arbEditRecipe(), fraction, fraction), { minLength: 1, maxLength: 5 }),
        (doc, steps) => {
          let state = stateOf(doc);
          let current = doc;
          for (const [recipe, x, y] of steps) {
            const length = current.length();
            const anchor = Math.floor(x * length);
            const head = Math.floor(y * length);
            state = state.apply(
              state.tr.setSelection(
                TextSelection.create(state.doc, indexToPm(state.doc, anchor), indexToPm(state.doc, head)),
              ),
            );
            // Selections are taken from the editor: a position inside a surrogate pair is not one.
            const selection = {
              anchor: pmToIndex(state.doc, state.selection.anchor),
              head: pmToIndex(state.doc, state.selection.head),
            };
            const op = opFromRecipe(current, recipe);
            const result = applyDelta(state, op);
            if (!result.ok) throw new Error(`refused: ${result.code} ${result.message}`);
            const tr = result.value;
            current = current.compose(op);
            expect(docToDelta(tr.doc)).toEqual(current);
            const expected = transformSelection(selection, op, false);
            expect({
              anchor: pmToIndex(tr.doc, tr.selection.anchor),
              head: pmToIndex(tr.doc, tr.selection.head),
            }).toEqual(expected);
            // Never sent back, never undone.
            expect(isForeign(tr)).toBe(true);
            expect(tr.getMeta('addToHistory')).toBe(false);
            expect(localChangeOf(tr)).toEqual({ ok: true, value: null });
            state = state.apply(tr);
          }
        },
      ),
      { numRuns: 2500 },
    );
  });

  // applyDelta converts the selection to Delta indexes only when it touches what the change touched;
  // before and after that range it keeps or shifts positions. Both must give libs/ot's answer.
  it('keeps, shifts or moves the selection exactly as libs/ot does, for every origin, around every change', () => {
    fc.assert(
      fc.property(
        arbDocument({ maxPieces: 12 }),
        arbEditRecipe(),
        fraction,
        fraction,
        fc.constantFrom(ChangeOrigin.remote, ChangeOrigin.undo, ChangeOrigin.redo),
        (doc, recipe, x, y, origin) => {
          let state = stateOf(doc);
          const length = doc.length();
          state = state.apply(
            state.tr.setSelection(
              TextSelection.create(
                state.doc,
                indexToPm(state.doc, Math.floor(x * length)),
                indexToPm(state.doc, Math.floor(y * length)),
              ),
            ),
          );
          const selection = {
            anchor: pmToIndex(state.doc, state.selection.anchor),
            head: pmToIndex(state.doc, state.selection.head),
          };
          const op = opFromRecipe(doc, recipe);
          const result = applyDelta(state, op, { origin });
          if (!result.ok) throw new Error(`refused: ${result.code} ${result.message}`);
          const tr = result.value;
          const own = origin !== ChangeOrigin.remote;
          expect({
            anchor: pmToIndex(tr.doc, tr.selection.anchor),
            head: pmToIndex(tr.doc, tr.selection.head),
          }).toEqual(transformSelection(selection, op, own));
          // A position, not only its index: the caret is never left between two lines.
          expect(tr.selection.$anchor.parent.isTextblock && tr.selection.$head.parent.isTextblock).toBe(true);
        },
      ),
      { numRuns: 3000 },
    );
  });

  it('moves a caret after a remote line split or join by the lines it added or removed', () => {
    const doc = new Delta().insert('one\ntwo\nthree\n');
    // Position = index + 1 + the "\n"s before it. The caret is at index 11 ("thr|ee"): 11 + 1 + 2 = 14.
    const cases: [Delta, number][] = [
      [new Delta().retain(1).insert('a\nb'), 14 + 4], // before it: two characters and a line (2 tokens)
      [new Delta().retain(3).delete(1), 14 - 2], // before it: a "\n" (a line's two tokens)
      [new Delta().retain(12).insert('\n'), 14], // after it: it stays
      [new Delta().retain(11).insert('\n'), 14], // at it: remote text goes after the caret
      [new Delta().retain(9).delete(4), 9 + 1 + 2], // over it: to where the deletion was (index 9)
    ];
    for (const [op, expected] of cases) {
      let state = stateOf(doc);
      state = state.apply(state.tr.setSelection(TextSelection.create(state.doc, 14)));
      const result = applyDelta(state, op);
      if (!result.ok) throw new Error(result.message);
      expect([JSON.stringify(op.ops), result.value.selection.head]).toEqual([
        JSON.stringify(op.ops),
        expected,
      ]);
      expect(docToDelta(result.value.doc)).toEqual(doc.compose(op));
    }
  });

  it('a remote keystroke is one small step at its place', () => {
    const state = stateOf(new Delta().insert('first line\nsecond').insert('\n', { header: 1 }));
    const result = applyDelta(state, new Delta().retain(14).insert('X'));
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.value.steps).toHaveLength(1);
    const step = result.value.steps[0] as ReplaceStep;
    expect(step).toBeInstanceOf(ReplaceStep);
    expect([step.from, step.to]).toEqual([indexToPm(state.doc, 14), indexToPm(state.doc, 14)]);
  });

  it('keeps stored marks and puts text inserted at the caret after it', () => {
    let state = stateOf([{ insert: 'ab\n' }]);
    state = state.apply(state.tr.setSelection(TextSelection.create(state.doc, 2)));
    state = state.apply(state.tr.addStoredMark(state.schema.marks.bold.create()));
    const result = applyDelta(state, new Delta().retain(1).insert('REMOTE'));
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    const next = state.apply(result.value);
    expect(pmToIndex(next.doc, next.selection.head)).toBe(1);
    expect(next.storedMarks?.map((m) => m.type.name)).toEqual(['bold']);
  });

  it('refuses what does not fit, with a code, and changes nothing', () => {
    const doc = new Delta().insert('ab\n').insert('cd\n', undefined);
    const state = stateOf(doc);
    const cases: [unknown, string][] = [
      [new Delta().retain(7), OtErrorCode.OP_OUT_OF_RANGE],
      [new Delta().retain(2).delete(5), OtErrorCode.OP_OUT_OF_RANGE],
      [new Delta().retain(1, { header: 1 }), OtErrorCode.INVALID_ATTRIBUTES],
      [new Delta().retain(5).delete(1), OtErrorCode.MISSING_FINAL_NEWLINE],
      [new Delta().retain(6).insert('tail'), OtErrorCode.MISSING_FINAL_NEWLINE],
      [new Delta().retain(6).insert('x').retain(1), OtErrorCode.OP_OUT_OF_RANGE],
      [new Delta().delete(6), OtErrorCode.MISSING_FINAL_NEWLINE],
      [[{ retain: 1, attributes: { link: 'javascript:x' } }], OtErrorCode.INVALID_ATTRIBUTES],
      [[{ insert: { script: 'x' } }], OtErrorCode.INVALID_OP],
      [{ ops: 'nope' }, OtErrorCode.INVALID_OP],
    ];
    for (const [input, code] of cases) {
      const result = applyDelta(state, input);
      expect([JSON.stringify(input), result.ok ? 'ok' : result.code]).toEqual([JSON.stringify(input), code]);
    }
    expect(docToDelta(state.doc)).toEqual(doc);
    expect(BindingErrorCode.DELTA_DOES_NOT_FIT).toBe('DELTA_DOES_NOT_FIT');
  });

  it('appends whole lines after the final newline and replaces the whole document', () => {
    const state = stateOf([{ insert: 'a\n' }]);
    const append = applyDelta(state, new Delta().retain(2).insert('b').insert('\n', { list: 'bullet' }));
    expect(append.ok && docToDelta(append.value.doc)).toEqual(
      new Delta().insert('a\nb').insert('\n', { list: 'bullet' }),
    );
    const replace = applyDelta(state, new Delta().insert('new\n', undefined).delete(2));
    expect(replace.ok && docToDelta(replace.value.doc)).toEqual(new Delta().insert('new\n'));
  });
});
