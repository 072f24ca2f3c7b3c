import Delta from 'quill-delta';
import { type Command, type EditorState, TextSelection } from '@tiptap/pm/state';
import { docToDelta } from '../convert/doc-to-delta';
import { indexToPm } from '../convert/positions';
import { localChangeOf } from '../local/local-change';
import { stateOf } from '../../test/editor-fixture';
import {
  backspaceAtLineStart,
  changeIndent,
  insertDivider,
  splitLine,
  toggleChecked,
  toggleLineKind,
} from './line-commands';
import { LINE_ATTRIBUTES } from './line-format';

/** Runs `command` with the selection at Delta indexes [from, to]; returns the new document's Delta and the sent change. */
function run(
  doc: Delta,
  command: Command,
  from: number,
  to = from,
): { doc: Delta; change: Delta | null; state: EditorState } | null {
  let state = stateOf(doc);
  state = state.apply(
    state.tr.setSelection(
      TextSelection.create(state.doc, indexToPm(state.doc, from), indexToPm(state.doc, to)),
    ),
  );
  let result: ReturnType<typeof run> = null;
  command(state, (tr) => {
    const change = localChangeOf(tr);
    if (!change.ok) throw new Error(change.message);
    const next = state.apply(tr);
    result = { doc: docToDelta(next.doc), change: change.value, state: next };
  });
  return result;
}

describe('line commands', () => {
  it('Enter at the end of a heading starts body text; in the middle it splits the heading', () => {
    const doc = new Delta().insert('Title').insert('\n', { header: 1 });
    expect(run(doc, splitLine(), 5)?.doc).toEqual(
      new Delta().insert('Title').insert('\n', { header: 1 }).insert('\n'),
    );
    expect(run(doc, splitLine(), 2)?.doc).toEqual(
      new Delta().insert('Ti').insert('\n', { header: 1 }).insert('tle').insert('\n', { header: 1 }),
    );
  });

  it('Enter in a checked task starts an unchecked one, keeping list and indent', () => {
    const doc = new Delta().insert('done').insert('\n', { list: 'checked', indent: 2 });
    const out = run(doc, splitLine(), 4);
    expect(out?.doc).toEqual(
      new Delta()
        .insert('done')
        .insert('\n', { list: 'checked', indent: 2 })
        .insert('\n', { list: 'unchecked', indent: 2 }),
    );
    // Quill's form of the same change: a "\n" inserted at the end of the line.
    expect(out?.change).toEqual(
      new Delta().retain(4).insert('\n', { list: 'checked', indent: 2 }).retain(1, { list: 'unchecked' }),
    );
  });

  it('Enter on an empty list line ends the list; Enter over a selection replaces it', () => {
    const doc = new Delta().insert('a').insert('\n', { list: 'bullet' }).insert('\n', { list: 'bullet' });
    expect(run(doc, splitLine(), 2)?.doc).toEqual(
      new Delta().insert('a').insert('\n', { list: 'bullet' }).insert('\n'),
    );
    expect(run(new Delta().insert('abcdef\n'), splitLine(), 1, 5)?.doc).toEqual(new Delta().insert('a\nf\n'));
  });

  it('Backspace at a line start removes the line format, then the indent, then joins', () => {
    const doc = new Delta().insert('a\nb').insert('\n', { list: 'ordered', indent: 1 });
    const first = run(doc, backspaceAtLineStart(), 2);
    expect(first?.doc).toEqual(new Delta().insert('a\nb').insert('\n', { indent: 1 }));
    const second = run(first!.doc, backspaceAtLineStart(), 2);
    expect(second?.doc).toEqual(new Delta().insert('a\nb\n'));
    expect(run(second!.doc, backspaceAtLineStart(), 2)).toBeNull();
  });

  it('heading, list, quote and code are exclusive; toggling twice removes', () => {
    const doc = new Delta().insert('x').insert('\n', { header: 2, align: 'center' });
    const list = run(doc, toggleLineKind(LINE_ATTRIBUTES.list, 'bullet'), 0);
    expect(list?.doc).toEqual(new Delta().insert('x').insert('\n', { list: 'bullet', align: 'center' }));
    const off = run(list!.doc, toggleLineKind(LINE_ATTRIBUTES.list, 'bullet'), 0);
    expect(off?.doc).toEqual(new Delta().insert('x').insert('\n', { align: 'center' }));
  });

  it('formats every line the selection touches', () => {
    const doc = new Delta().insert('a\nb\nc\n');
    expect(run(doc, toggleLineKind(LINE_ATTRIBUTES.codeBlock, true), 0, 2)?.doc).toEqual(
      new Delta()
        .insert('a')
        .insert('\n', { 'code-block': true })
        .insert('b')
        .insert('\n', { 'code-block': true })
        .insert('c\n'),
    );
  });

  it('indent stays within 0..8 and no indent is stored as none', () => {
    const doc = new Delta().insert('x').insert('\n', { indent: 8 });
    expect(run(doc, changeIndent(1), 0)).toBeNull();
    expect(run(new Delta().insert('x').insert('\n', { indent: 1 }), changeIndent(-1), 0)?.doc).toEqual(
      new Delta().insert('x\n'),
    );
  });

  it('toggles checked on task lines only', () => {
    const doc = new Delta().insert('t').insert('\n', { list: 'unchecked' }).insert('p\n');
    expect(run(doc, toggleChecked(), 0, 2)?.doc).toEqual(
      new Delta().insert('t').insert('\n', { list: 'checked' }).insert('p\n'),
    );
    expect(run(doc, toggleChecked(), 2)).toBeNull();
  });

  it('puts a divider on a line of its own', () => {
    expect(run(new Delta().insert('abcd\n'), insertDivider(), 2)?.doc).toEqual(
      new Delta().insert('ab\n').insert({ divider: true }).insert('\ncd\n'),
    );
  });
});
