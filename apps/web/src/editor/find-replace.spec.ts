import { bindEditor, collabExtensions, deltaToDoc, notifyUpdate } from '@collab/editor-binding';
import { collabHistoryPlugin, collabSyncPlugin, remotePresencePlugin } from '@collab/editor-binding';
import { getSchema } from '@tiptap/core';
import { EditorState, type Transaction } from '@tiptap/pm/state';
import Delta from 'quill-delta';
import { countText, findMatches, replaceAll } from './find-replace';

const schema = getSchema(collabExtensions());

function stateOf(ops: Delta['ops']): EditorState {
  const doc = deltaToDoc(schema, new Delta(ops));
  if (!doc.ok) throw new Error(doc.message);
  return EditorState.create({
    schema,
    doc: doc.value,
    plugins: [collabSyncPlugin(), collabHistoryPlugin({}), remotePresencePlugin()],
  });
}

/** An editor host bound to a fake SDK document that records every submitted Delta. */
function bound(ops: Delta['ops']) {
  const submitted: Delta[] = [];
  let document = new Delta(ops);
  const host = {
    state: stateOf(ops),
    dispatch(tr: Transaction) {
      const previous = host.state;
      host.state = previous.apply(tr);
      notifyUpdate(host, previous);
    },
  };
  bindEditor(host, {
    get document() {
      return document;
    },
    submit: (change) => {
      submitted.push(change);
      document = document.compose(change);
    },
    setSelection: () => undefined,
    on: () => () => undefined,
  });
  return { host, submitted, document: () => document };
}

describe('find and replace', () => {
  it('finds every match case-insensitively, per line, without overlaps', () => {
    const state = stateOf([{ insert: 'Cat cat\n' }, { insert: 'concatenate\n' }, { insert: 'aaaa\n' }]);
    const text = (m: { from: number; to: number }) => state.doc.textBetween(m.from, m.to);
    expect(findMatches(state.doc, 'cat').map(text)).toEqual(['Cat', 'cat', 'cat']);
    expect(findMatches(state.doc, 'cat', true).map(text)).toEqual(['cat', 'cat']);
    expect(findMatches(state.doc, 'aa')).toHaveLength(2);
    expect(findMatches(state.doc, '')).toEqual([]);
    expect(findMatches(state.doc, 't\nc')).toEqual([]);
  });

  it('keeps offsets right after bold text and an embed', () => {
    const state = stateOf([
      { insert: 'a ' },
      { insert: 'bold', attributes: { bold: true } },
      { insert: ' word\n' },
      { insert: { divider: true } },
      { insert: '\nword\n' },
    ]);
    expect(findMatches(state.doc, 'word').map((m) => state.doc.textBetween(m.from, m.to))).toEqual([
      'word',
      'word',
    ]);
  });

  it('replace-all is one operation: one transaction, one Delta submitted', () => {
    const editor = bound([{ insert: 'one fish two fish\n' }, { insert: 'red fish\n' }]);
    const tr = replaceAll(editor.host.state, 'fish', 'cat');
    expect(tr).not.toBeNull();
    editor.host.dispatch(tr!);
    expect(editor.submitted).toHaveLength(1);
    expect(editor.document().ops).toEqual([{ insert: 'one cat two cat\nred cat\n' }]);
    expect(replaceAll(editor.host.state, 'fish', 'cat')).toBeNull();
  });

  it('replace-all with nothing deletes the matches', () => {
    const editor = bound([{ insert: 'a-b-c\n' }]);
    editor.host.dispatch(replaceAll(editor.host.state, '-', '')!);
    expect(editor.submitted).toHaveLength(1);
    expect(editor.document().ops).toEqual([{ insert: 'abc\n' }]);
  });
});

describe('countText', () => {
  it('counts words and characters without line breaks', () => {
    const state = stateOf([{ insert: 'Hello, world!\n' }, { insert: 'Two  words\n' }, { insert: '\n' }]);
    expect(countText(state.doc)).toEqual({ words: 4, characters: 23 });
    expect(countText(stateOf([{ insert: '\n' }]).doc)).toEqual({ words: 0, characters: 0 });
  });
});
