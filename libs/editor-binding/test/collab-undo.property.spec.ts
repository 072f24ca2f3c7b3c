import fc from 'fast-check';
import Delta from 'quill-delta';
import { type EditorState, type Transaction } from '@tiptap/pm/state';
import { arbDocument, arbInlineAttributes } from '../../ot/test/arbitraries';
import { docToDelta } from '../src/convert/doc-to-delta';
import { applyDelta } from '../src/remote/apply-delta';
import { historyDepth, redo, undo } from '../src/history/collab-history';
import { localChangeOf } from '../src/local/local-change';
import { stateOf } from './editor-fixture';
import { arbLocalEdit, localEditTransaction, type LocalEdit } from './local-edits';

/** Text only the remote user types; no local edit produces it. */
const REMOTE = 'Ʀ';

type Action =
  { local: LocalEdit } | { remote: { at: number; count: number; attributes: Record<string, unknown> } };

const arbAction: fc.Arbitrary<Action> = fc.oneof(
  arbLocalEdit().map((local) => ({ local })),
  fc
    .record({
      at: fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }),
      count: fc.integer({ min: 1, max: 3 }),
      attributes: arbInlineAttributes(),
    })
    .map((remote) => ({ remote })),
);

/** A remote insert of REMOTE text at a code point boundary of `doc`. */
function remoteInsert(doc: Delta, at: number, count: number, attributes: Record<string, unknown>): Delta {
  const boundaries: number[] = [0];
  let index = 0;
  for (const op of doc.ops) {
    if (typeof op.insert === 'string') for (const cp of op.insert) boundaries.push((index += cp.length));
    else boundaries.push((index += 1));
  }
  boundaries.pop();
  return new Delta()
    .retain(boundaries[Math.floor(at * boundaries.length)])
    .insert(REMOTE.repeat(count), attributes);
}

/** `doc` without the REMOTE characters. */
function withoutRemote(doc: Delta): Delta {
  const removal = new Delta();
  for (const op of doc.ops) {
    if (typeof op.insert !== 'string') {
      removal.retain(1);
      continue;
    }
    for (const ch of op.insert) {
      if (ch === REMOTE) removal.delete(1);
      else removal.retain(ch.length);
    }
  }
  return doc.compose(removal);
}

function countRemote(doc: Delta): number {
  return doc.ops.reduce(
    (n, op) => n + (typeof op.insert === 'string' ? op.insert.split(REMOTE).length - 1 : 0),
    0,
  );
}

function run(state: EditorState, command: typeof undo): { state: EditorState; tr: Transaction } | null {
  let tr: Transaction | null = null;
  if (!command(state, (t) => (tr = t))) return null;
  return { state: state.apply(tr!), tr: tr! };
}

describe('collaborative undo', () => {
  it('undoing everything takes back only my edits: the remote text stays, my text and formats go', () => {
    fc.assert(
      fc.property(
        arbDocument({ maxPieces: 8 }),
        fc.array(arbAction, { minLength: 1, maxLength: 10 }),
        (doc, actions) => {
          let state = stateOf(doc, { groupDelay: 0 });
          let remoteChars = 0;
          for (const action of actions) {
            if ('local' in action) {
              const tr = localEditTransaction(state, action.local);
              if (tr) state = state.apply(tr);
            } else {
              const { at, count, attributes } = action.remote;
              const result = applyDelta(state, remoteInsert(docToDelta(state.doc), at, count, attributes));
              if (!result.ok) throw new Error(result.message);
              state = state.apply(result.value);
              remoteChars += count;
            }
          }
          const beforeUndo = docToDelta(state.doc);
          let undone = 0;
          for (let step = run(state, undo); step; step = run(state, undo)) {
            // An undo is this user's edit like any other: it is sent, and it is exact.
            const change = localChangeOf(step.tr);
            expect(change.ok && change.value !== null).toBe(true);
            if (change.ok && change.value)
              expect(docToDelta(state.doc).compose(change.value)).toEqual(docToDelta(step.state.doc));
            state = step.state;
            undone++;
          }
          expect(undone).toBeLessThanOrEqual(actions.length);
          const afterUndo = docToDelta(state.doc);
          expect(countRemote(afterUndo)).toBe(remoteChars);
          expect(withoutRemote(afterUndo)).toEqual(doc);
          // Redoing everything gives back the document as it was before the undos.
          for (let step = run(state, redo); step; step = run(state, redo)) state = step.state;
          expect(docToDelta(state.doc)).toEqual(beforeUndo);
          expect(historyDepth(state).redo).toBe(0);
        },
      ),
      { numRuns: 1500 },
    );
  });
});
