/**
 * Random local edits, as a person makes them in the editor: typing, deleting
 * across lines, Enter and Backspace, marks, links, line formats, lists,
 * indent, checked, alignment, embeds, paste. Each edit is a recipe of
 * numbers in [0, 1) that picks positions in whatever document it meets, so
 * one generated sequence applies to any document (no fc.chain per step).
 */
import fc from 'fast-check';
import { type Node as PmNode, type Slice } from '@tiptap/pm/model';
import { type EditorState, TextSelection, type Transaction } from '@tiptap/pm/state';
import { joinBackward, joinForward } from '@tiptap/pm/commands';
import Delta from 'quill-delta';
import { TEXT_UNITS, LINK_URLS, IMAGE_URLS } from '../../ot/test/arbitraries';
import { docToDelta } from '../src/convert/doc-to-delta';
import { indexToPm } from '../src/convert/positions';
import {
  backspaceAtLineStart,
  changeIndent,
  insertDivider,
  setAlign,
  splitLine,
  toggleChecked,
  toggleLineKind,
} from '../src/schema/line-commands';
import { LINE_ATTRIBUTES } from '../src/schema/line-format';
import { docOf, schema } from './editor-fixture';

export type LocalEdit = Readonly<{
  kind: string;
  a: number;
  b: number;
  c: number;
  pick: number;
  text: string;
}>;

const KINDS = [
  'type',
  'type',
  'type',
  'delete',
  'delete',
  'enter',
  'backspaceLineStart',
  'deleteForwardLineEnd',
  'mark',
  'unmark',
  'link',
  'lineAttr',
  'nodeMarkup',
  'kind',
  'indent',
  'checked',
  'align',
  'embed',
  'divider',
  'paste',
  'replaceAndType',
] as const;

export function arbLocalEdit(): fc.Arbitrary<LocalEdit> {
  return fc.record({
    kind: fc.constantFrom(...KINDS),
    a: fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }),
    b: fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }),
    c: fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }),
    pick: fc.nat(1000),
    text: fc.array(fc.constantFrom(...TEXT_UNITS), { minLength: 1, maxLength: 4 }).map((u) => u.join('')),
  });
}

/** Delta indexes at which a caret may stand: every code point boundary (never inside a surrogate pair). */
function boundaries(doc: PmNode): number[] {
  const out: number[] = [0];
  let at = 0;
  for (const op of docToDelta(doc).ops) {
    if (typeof op.insert === 'string') {
      for (const cp of op.insert) {
        at += cp.length;
        out.push(at);
      }
    } else {
      at += 1;
      out.push(at);
    }
  }
  out.pop(); // past the final "\n" is no caret position
  return out;
}

function posAt(doc: PmNode, fraction: number): number {
  const all = boundaries(doc);
  return indexToPm(doc, all[Math.floor(fraction * all.length)]);
}

function range(doc: PmNode, x: number, y: number): [number, number] {
  const p = posAt(doc, x);
  const q = posAt(doc, y);
  return p <= q ? [p, q] : [q, p];
}

function lineStarts(doc: PmNode): number[] {
  const out: number[] = [];
  let pos = 0;
  doc.forEach((line) => {
    out.push(pos);
    pos += line.nodeSize;
  });
  return out;
}

const MARKS = ['bold', 'italic', 'underline', 'strike', 'code'] as const;
const LINE_VALUES: readonly (readonly [string, readonly unknown[]])[] = [
  [LINE_ATTRIBUTES.header, [null, 1, 2, 3, 6]],
  [LINE_ATTRIBUTES.list, [null, 'bullet', 'ordered', 'checked', 'unchecked']],
  [LINE_ATTRIBUTES.indent, [null, 0, 1, 4, 8]],
  [LINE_ATTRIBUTES.blockquote, [null, true]],
  [LINE_ATTRIBUTES.codeBlock, [null, true]],
  [LINE_ATTRIBUTES.align, [null, 'left', 'center', 'right', 'justify']],
];

function withSelection(state: EditorState, from: number, to = from): EditorState {
  return state.apply(state.tr.setSelection(TextSelection.create(state.doc, from, to)));
}

/** Runs a ProseMirror command on `state` and returns its transaction (null when it did not apply). */
function runCommand(
  state: EditorState,
  command: (s: EditorState, d?: (tr: Transaction) => void) => boolean,
): Transaction | null {
  let out: Transaction | null = null;
  command(state, (tr) => (out = tr));
  return out;
}

/** A slice of another small document, cut at caret boundaries, as a paste would bring. */
function pasteSlice(edit: LocalEdit): Slice {
  const source = docOf(
    new Delta()
      .insert(edit.text, { bold: true })
      .insert('\n', { header: 2 })
      .insert('x', { link: LINK_URLS[edit.pick % LINK_URLS.length] })
      .insert({ image: IMAGE_URLS[0] })
      .insert('\n', { list: 'checked', indent: 1 })
      .insert(edit.text)
      .insert('\n'),
  );
  const [from, to] = range(source, edit.b, edit.c);
  return source.slice(from, to);
}

/**
 * The transaction of one local edit on `state` (with the selection the edit
 * implies), or null when the edit does not apply there.
 */
export function localEditTransaction(base: EditorState, edit: LocalEdit): Transaction | null {
  const doc = base.doc;
  const [from, to] = range(doc, edit.a, edit.b);
  switch (edit.kind) {
    case 'type': {
      const state = withSelection(base, from, edit.c < 0.7 ? from : to);
      return state.tr.insertText(edit.text);
    }
    case 'delete':
      return from === to ? null : base.tr.delete(from, to);
    case 'enter':
      return runCommand(withSelection(base, from, edit.c < 0.7 ? from : to), splitLine());
    case 'backspaceLineStart': {
      const starts = lineStarts(doc);
      const at = starts[edit.pick % starts.length] + 1;
      const state = withSelection(base, at);
      return runCommand(state, backspaceAtLineStart()) ?? runCommand(state, joinBackward);
    }
    case 'deleteForwardLineEnd': {
      const starts = lineStarts(doc);
      const line = edit.pick % starts.length;
      const at = starts[line] + doc.child(line).nodeSize - 1;
      return runCommand(withSelection(base, at), joinForward);
    }
    case 'mark':
    case 'unmark': {
      if (from === to) return null;
      const type = schema.marks[MARKS[edit.pick % MARKS.length]];
      return edit.kind === 'mark'
        ? base.tr.addMark(from, to, type.create())
        : base.tr.removeMark(from, to, type);
    }
    case 'link': {
      if (from === to) return null;
      const type = schema.marks.link;
      return edit.c < 0.2
        ? base.tr.removeMark(from, to, type)
        : base.tr.addMark(from, to, type.create({ href: LINK_URLS[edit.pick % LINK_URLS.length] }));
    }
    case 'lineAttr': {
      const starts = lineStarts(doc);
      const [name, values] = LINE_VALUES[edit.pick % LINE_VALUES.length];
      return base.tr.setNodeAttribute(
        starts[Math.floor(edit.c * starts.length)],
        name,
        values[Math.floor(edit.a * values.length)],
      );
    }
    case 'nodeMarkup': {
      const starts = lineStarts(doc);
      const pos = starts[Math.floor(edit.c * starts.length)];
      const node = doc.nodeAt(pos)!;
      const attrs: Record<string, unknown> = { ...node.attrs };
      for (const [name, values] of LINE_VALUES)
        attrs[name] = values[(edit.pick + name.length) % values.length];
      return base.tr.setNodeMarkup(pos, undefined, attrs);
    }
    case 'kind': {
      const state = withSelection(base, from, to);
      const choices = [
        toggleLineKind(LINE_ATTRIBUTES.header, 1 + (edit.pick % 6)),
        toggleLineKind(LINE_ATTRIBUTES.list, ['bullet', 'ordered', 'checked', 'unchecked'][edit.pick % 4]),
        toggleLineKind(LINE_ATTRIBUTES.blockquote, true),
        toggleLineKind(LINE_ATTRIBUTES.codeBlock, true),
      ];
      return runCommand(state, choices[Math.floor(edit.c * choices.length)]);
    }
    case 'indent':
      return runCommand(withSelection(base, from, to), changeIndent(edit.c < 0.6 ? 1 : -1));
    case 'checked':
      return runCommand(withSelection(base, from, to), toggleChecked());
    case 'align':
      return runCommand(
        withSelection(base, from, to),
        setAlign((['left', 'center', 'right', 'justify', null] as const)[edit.pick % 5]),
      );
    case 'embed': {
      const node =
        edit.c < 0.5
          ? schema.nodes.image.create({ src: IMAGE_URLS[edit.pick % IMAGE_URLS.length] })
          : schema.nodes.divider.create();
      return base.tr.replaceWith(from, to, node);
    }
    case 'divider':
      return runCommand(withSelection(base, from, to), insertDivider());
    case 'paste':
      return base.tr.replace(from, to, pasteSlice(edit));
    case 'replaceAndType': {
      // Two steps in one transaction: select across lines, type over it.
      const tr = base.tr.delete(from, to);
      return tr.insertText(edit.text, from);
    }
    default:
      throw new Error(`unknown edit ${edit.kind}`);
  }
}
