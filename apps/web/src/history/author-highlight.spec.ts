import { ChangeOrigin, collabSchema, deltaToDoc, pmRange } from '@collab/editor-binding';
import { EditorState } from '@tiptap/pm/state';
import Delta from 'quill-delta';
import {
  authorHighlightKey,
  authorHighlightMeta,
  authorHighlightPlugin,
  authorsShown,
  remoteInsertions,
} from './author-highlight';

const ME = { userId: 'me', name: 'Ana', color: '#aa0000' };
const BRUNO = { userId: 'bruno', name: 'Bruno', color: '#0000aa', at: '2026-12-07T10:42:00.000Z' };

function stateOf(text: string): EditorState {
  const schema = collabSchema();
  const doc = deltaToDoc(schema, [{ insert: text }]);
  if (!doc.ok) throw new Error(doc.message);
  return EditorState.create({ schema, doc: doc.value, plugins: [authorHighlightPlugin(() => ME)] });
}

/** Each coloured run as "text:author", in document order. */
function runs(state: EditorState): string[] {
  const set = authorHighlightKey.getState(state)!.set;
  return set
    .find()
    .sort((a, b) => a.from - b.from)
    .map((d) => `${state.doc.textBetween(d.from, d.to)}:${(d.spec as { by: { userId: string } }).by.userId}`);
}

describe('authorHighlightPlugin', () => {
  it('does nothing while off, and colours the person’s own typing while on', () => {
    let state = stateOf('hello\n');
    state = state.apply(state.tr.insertText('x', 1));
    expect(authorsShown(state)).toBe(false);
    expect(authorHighlightKey.getState(state)!.set.find()).toHaveLength(0);
    state = state.apply(state.tr.setMeta(...authorHighlightMeta({ type: 'show' })));
    state = state.apply(state.tr.insertText('ab', 3));
    expect(runs(state)).toEqual(['ab:me']);
  });

  it('paints a remote run over others, cutting them, and fills gaps only when painting under', () => {
    let state = stateOf('0123456789\n');
    state = state.apply(state.tr.setMeta(...authorHighlightMeta({ type: 'show' })));
    const [from, to] = pmRange(state.doc, 0, 10);
    state = state.apply(
      state.tr.setMeta(
        ...authorHighlightMeta({ type: 'paint', ranges: [{ from, to, by: { ...ME, at: BRUNO.at } }] }),
      ),
    );
    const [b1, b2] = pmRange(state.doc, 3, 6);
    state = state.apply(
      state.tr.setMeta(...authorHighlightMeta({ type: 'paint', ranges: [{ from: b1, to: b2, by: BRUNO }] })),
    );
    expect(runs(state)).toEqual(['012:me', '345:bruno', '6789:me']);
    // Under: the attribution arriving late keeps the colours live edits gave.
    state = state.apply(state.tr.setMeta(...authorHighlightMeta({ type: 'hide' })));
    state = state.apply(state.tr.setMeta(...authorHighlightMeta({ type: 'show' })));
    state = state.apply(
      state.tr.setMeta(...authorHighlightMeta({ type: 'paint', ranges: [{ from: b1, to: b2, by: BRUNO }] })),
    );
    state = state.apply(
      state.tr.setMeta(
        ...authorHighlightMeta({
          type: 'paint',
          ranges: [{ from, to, by: { ...ME, at: BRUNO.at } }],
          under: true,
        }),
      ),
    );
    expect(runs(state)).toEqual(['012:me', '345:bruno', '6789:me']);
  });

  it('moves colours with remote changes without colouring them as the person’s', () => {
    let state = stateOf('abc\n');
    state = state.apply(state.tr.setMeta(...authorHighlightMeta({ type: 'show' })));
    state = state.apply(state.tr.insertText('XY', 2));
    const remote = state.tr.insertText('zz', 2);
    remote.setMeta('collabDelta', { origin: ChangeOrigin.remote, delta: new Delta() });
    state = state.apply(remote);
    expect(state.doc.textContent).toBe('azzXYbc');
    expect(runs(state)).toEqual(['XY:me']);
  });
});

describe('remoteInsertions', () => {
  it('gives the inserted ranges of the document after the change', () => {
    const change = new Delta().retain(2).insert('ab').delete(3).retain(1).insert({ image: 'x' }).insert('c');
    expect(remoteInsertions(change)).toEqual([
      { from: 2, to: 4 },
      { from: 5, to: 7 },
    ]);
  });
});
