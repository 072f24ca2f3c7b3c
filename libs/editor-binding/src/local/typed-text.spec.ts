import Delta from 'quill-delta';
import { AllSelection, EditorState, Plugin, TextSelection, type Transaction } from '@tiptap/pm/state';
import type { EditorView } from '@tiptap/pm/view';
import { docOf, schema } from '../../test/editor-fixture';
import { docToDelta } from '../convert/doc-to-delta';
import { indexToPm } from '../convert/positions';
import { deleteTypedCharacter, insertTypedText, typedTextPlugin } from './typed-text';

/** What insertTypedText uses of an EditorView: state, flags, props, dispatch and the DOM selection. */
class StubView {
  composing = false;
  editable = true;
  readonly dispatched: Transaction[] = [];
  /** Where the browser's caret is, as ProseMirror positions; null: where the state says. */
  domCaret: { anchor: number; head: number } | null = null;
  constructor(public state: EditorState) {}
  get root() {
    const caret = this.domCaret ?? { anchor: this.state.selection.anchor, head: this.state.selection.head };
    // Nodes stand for positions here: posAtDOM below reads them back.
    return {
      getSelection: () => ({
        anchorNode: caret.anchor,
        anchorOffset: 0,
        focusNode: caret.head,
        focusOffset: 0,
      }),
    };
  }
  posAtDOM(node: unknown): number {
    return node as number;
  }
  dispatch(tr: Transaction): void {
    this.dispatched.push(tr);
    this.state = this.state.apply(tr);
  }
  someProp(name: string, f: (prop: (...args: unknown[]) => unknown) => unknown): unknown {
    for (const plugin of this.state.plugins) {
      const prop = (plugin.props as Record<string, unknown>)[name];
      if (typeof prop === 'function') {
        const result = f((prop as (...args: unknown[]) => unknown).bind(plugin));
        if (result) return result;
      }
    }
    return undefined;
  }
  get asView(): EditorView {
    return this as unknown as EditorView;
  }
}

function viewOf(ops: Delta['ops'], from: number, to = from, plugins: Plugin[] = []): StubView {
  const doc = docOf(ops);
  const selection = TextSelection.create(doc, indexToPm(doc, from), indexToPm(doc, to));
  return new StubView(
    EditorState.create({ schema, doc, selection, plugins: [typedTextPlugin(), ...plugins] }),
  );
}

const deltaOf = (view: StubView) => docToDelta(view.state.doc);

describe('typed text', () => {
  it('inserts at the caret with the marks there, as one transaction that scrolls the caret into view', () => {
    const view = viewOf([{ insert: 'ab', attributes: { bold: true } }, { insert: 'c\n' }], 1);
    expect(insertTypedText(view.asView, 'x')).toBe(true);
    expect(deltaOf(view)).toEqual(new Delta().insert('axb', { bold: true }).insert('c\n'));
    expect(view.dispatched).toHaveLength(1);
    expect(view.dispatched[0].scrolledIntoView).toBe(true);
    expect(view.state.selection.from).toBe(indexToPm(view.state.doc, 2));
  });

  it('uses stored marks (a format toggled at the caret) and replaces a selection within a line', () => {
    const view = viewOf([{ insert: 'hello world\n' }], 11);
    view.dispatch(view.state.tr.addStoredMark(schema.marks.italic.create()));
    insertTypedText(view.asView, '!');
    expect(deltaOf(view)).toEqual(
      new Delta().insert('hello world').insert('!', { italic: true }).insert('\n'),
    );

    const selected = viewOf([{ insert: 'hello world\n' }], 0, 5);
    insertTypedText(selected.asView, 'J');
    expect(deltaOf(selected)).toEqual(new Delta().insert('J world\n'));
  });

  it('lets input rules (handleTextInput) take the text first, with the default insertion to build on', () => {
    const seen: unknown[] = [];
    const rule = new Plugin({
      props: {
        handleTextInput: (_view, from, to, text, deflt) => {
          seen.push([from, to, text, deflt().doc.textContent]);
          return true;
        },
      },
    });
    const view = viewOf([{ insert: 'ab\n' }], 2, 2, [rule]);
    expect(insertTypedText(view.asView, '#')).toBe(true);
    expect(seen).toEqual([[3, 3, '#', 'ab#']]);
    expect(view.dispatched).toHaveLength(0);
  });

  it('leaves line breaks, compositions, read-only editors and other selections to the browser', () => {
    const cases: [string, (view: StubView) => void][] = [
      ['\n', () => undefined],
      ['', () => undefined],
      ['x', (v) => (v.composing = true)],
      ['x', (v) => (v.editable = false)],
      ['x', (v) => v.dispatch(v.state.tr.setSelection(new AllSelection(v.state.doc)))],
    ];
    for (const [text, setup] of cases) {
      const view = viewOf([{ insert: 'ab\n' }], 1);
      setup(view);
      const before = view.state.doc;
      expect(insertTypedText(view.asView, text)).toBe(false);
      expect(view.state.doc.eq(before)).toBe(true);
    }
  });

  it('handles a keypress with a character and ignores one without', () => {
    const view = viewOf([{ insert: 'ab\n' }], 2);
    const handleKeyPress = typedTextPlugin().props.handleKeyPress!;
    const press = (charCode: number) =>
      handleKeyPress.call(typedTextPlugin(), view.asView, { charCode } as KeyboardEvent);
    expect(press(0)).toBe(false);
    expect(press('é'.charCodeAt(0))).toBe(true);
    expect(deltaOf(view)).toEqual(new Delta().insert('abé\n'));
  });

  it('leaves the key to the browser when its caret moved and ProseMirror has not seen it yet', () => {
    // "Home" moved the browser's caret to the start; the selectionchange that
    // tells ProseMirror has not arrived when the next key does.
    const view = viewOf([{ insert: 'abc\n' }], 3);
    view.domCaret = { anchor: 1, head: 1 };
    expect(insertTypedText(view.asView, 'x')).toBe(false);
    expect(view.dispatched).toEqual([]);
    expect(deltaOf(view).ops).toEqual([{ insert: 'abc\n' }]);
  });
});

describe('typed deletion (Backspace, Delete)', () => {
  it('deletes the plain character before or after the caret, keeping the marks around it', () => {
    const view = viewOf([{ insert: 'ab', attributes: { bold: true } }, { insert: 'cd\n' }], 2);
    expect(deleteTypedCharacter(view.asView, 'backward')).toBe(true);
    expect(deltaOf(view)).toEqual(new Delta().insert('a', { bold: true }).insert('cd\n'));
    expect(view.dispatched.at(-1)?.scrolledIntoView).toBe(true);
    expect(deleteTypedCharacter(view.asView, 'forward')).toBe(true);
    expect(deltaOf(view)).toEqual(new Delta().insert('a', { bold: true }).insert('d\n'));
    expect(view.state.selection.from).toBe(indexToPm(view.state.doc, 1));
  });

  it("leaves a line's edges, selections, read-only editors, compositions and a moved caret to the other handlers", () => {
    const cases: [number, number, 'backward' | 'forward', (view: StubView) => void][] = [
      [0, 0, 'backward', () => undefined], // joins with the line before
      [2, 2, 'forward', () => undefined], // joins with the line after
      [0, 1, 'backward', () => undefined],
      [1, 1, 'backward', (v) => (v.editable = false)],
      [1, 1, 'backward', (v) => (v.composing = true)],
      [1, 1, 'backward', (v) => (v.domCaret = { anchor: 3, head: 3 })], // PM positions: index 1 is 2
    ];
    for (const [from, to, direction, setup] of cases) {
      const view = viewOf([{ insert: 'ab\ncd\n' }], from, to);
      setup(view);
      expect({ from, direction, handled: deleteTypedCharacter(view.asView, direction) }).toEqual({
        from,
        direction,
        handled: false,
      });
      expect(deltaOf(view).ops).toEqual([{ insert: 'ab\ncd\n' }]);
    }
  });

  it("leaves characters whose deletion unit is the browser's call (emoji, combining marks, other scripts, embeds)", () => {
    const cases: [Delta['ops'], number, 'backward' | 'forward'][] = [
      [[{ insert: 'a😀\n' }], 3, 'backward'], // a surrogate pair
      [[{ insert: 'e\u0301x\n' }], 1, 'backward'], // e followed by a combining accent
      [[{ insert: 'e\u0301x\n' }], 0, 'forward'],
      [[{ insert: 'aक्ष\n' }], 4, 'backward'], // Devanagari
      [
        [{ insert: 'a' }, { insert: { image: 'https://example.com/a.png' } }, { insert: '\n' }],
        2,
        'backward',
      ],
    ];
    for (const [ops, at, direction] of cases) {
      const view = viewOf(ops, at);
      expect(deleteTypedCharacter(view.asView, direction)).toBe(false);
      expect(deltaOf(view).ops).toEqual(ops);
    }
  });
});
