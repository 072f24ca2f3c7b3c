import Delta from 'quill-delta';
import { type EditorState, TextSelection } from '@tiptap/pm/state';
import { stateOf } from '../../test/editor-fixture';
import { docToDelta } from '../convert/doc-to-delta';
import { indexToPm, pmToIndex } from '../convert/positions';
import { applyDelta } from '../remote/apply-delta';
import { loadDocument } from '../remote/load-document';
import { CLOSE_HISTORY_META, historyDepth, redo, undo } from './collab-history';

function typeAt(state: EditorState, index: number, text: string, time: number): EditorState {
  const pos = indexToPm(state.doc, index);
  return state.apply(
    state.tr.setSelection(TextSelection.create(state.doc, pos)).insertText(text).setTime(time),
  );
}

function remote(state: EditorState, change: Delta): EditorState {
  const result = applyDelta(state, change);
  if (!result.ok) throw new Error(result.message);
  return state.apply(result.value);
}

function press(state: EditorState, command: typeof undo): EditorState {
  let next = state;
  command(state, (tr) => (next = state.apply(tr)));
  return next;
}

describe('collaborative history grouping', () => {
  it('groups quick typing in one place, splits on a pause, a jump elsewhere, or closeHistory', () => {
    let state = stateOf([{ insert: 'one two\n' }], { groupDelay: 500 });
    state = typeAt(state, 3, 'a', 1000);
    state = typeAt(state, 4, 'b', 1100);
    // Remote text before my group moves it; my next keystroke still joins it.
    state = remote(state, new Delta().insert('>>'));
    state = typeAt(state, 7, 'c', 1200);
    expect(historyDepth(state).undo).toBe(1);
    state = typeAt(state, 0, 'X', 1300); // elsewhere
    state = typeAt(state, 1, 'Y', 2000); // after a pause
    state = state.apply(state.tr.setMeta(CLOSE_HISTORY_META, true));
    state = typeAt(state, 2, 'Z', 2100);
    expect(historyDepth(state).undo).toBe(4);
    expect(docToDelta(state.doc)).toEqual(new Delta().insert('XYZ>>oneabc two\n'));
    state = press(press(press(press(state, undo), undo), undo), undo);
    expect(docToDelta(state.doc)).toEqual(new Delta().insert('>>one two\n'));
    expect(historyDepth(state)).toEqual({ undo: 0, redo: 4 });
  });

  it('puts the caret where the undone change was', () => {
    let state = stateOf([{ insert: 'hello world\n' }], { groupDelay: 0 });
    state = typeAt(state, 5, ',', 1);
    state = remote(state, new Delta().insert('Oh, '));
    state = press(state, undo);
    expect(docToDelta(state.doc)).toEqual(new Delta().insert('Oh, hello world\n'));
    expect(pmToIndex(state.doc, state.selection.head)).toBe(9);
    state = press(state, redo);
    expect(docToDelta(state.doc)).toEqual(new Delta().insert('Oh, hello, world\n'));
    expect(pmToIndex(state.doc, state.selection.head)).toBe(10);
  });

  it('drops an entry whose text others deleted, and a document load empties the history', () => {
    let state = stateOf([{ insert: 'ab\n' }], { groupDelay: 0 });
    state = typeAt(state, 1, 'XYZ', 1);
    state = remote(state, new Delta().delete(5));
    expect(historyDepth(state).undo).toBe(0);
    expect(undo(state)).toBe(false);
    state = typeAt(state, 0, 'new', 2);
    expect(historyDepth(state).undo).toBe(1);
    const loaded = loadDocument(state, new Delta().insert('fresh\n'));
    if (!loaded.ok) throw new Error(loaded.message);
    state = state.apply(loaded.value);
    expect(historyDepth(state)).toEqual({ undo: 0, redo: 0 });
  });
});
