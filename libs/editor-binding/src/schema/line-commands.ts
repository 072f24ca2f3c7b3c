import { type Node as PmNode, type NodeType } from '@tiptap/pm/model';
import { type Command, type EditorState, TextSelection, type Transaction } from '@tiptap/pm/state';
import { type ALIGN_VALUES } from '@collab/ot';
import { DIVIDER_NODE, LINE_ATTRIBUTES, LINE_NODE } from './line-format';

/**
 * ProseMirror commands on the flat line model (see line-format.ts). They only
 * produce steps the local-change mapper understands exactly: attribute steps
 * on lines, and replace steps for text and line breaks.
 *
 * Toolbar semantics follow Quill and Google Docs: a line is at most one of
 * heading, list item, quote and code line (setting one clears the others);
 * alignment and indent combine with any of them. Documents from elsewhere may
 * still combine them (libs/ot allows it); the editor shows and keeps them.
 */

/** The exclusive "kind" formats of a line. */
const KIND_ATTRS = [
  LINE_ATTRIBUTES.header,
  LINE_ATTRIBUTES.list,
  LINE_ATTRIBUTES.blockquote,
  LINE_ATTRIBUTES.codeBlock,
] as const;

export const LIST_KINDS = ['bullet', 'ordered', 'checked', 'unchecked'] as const;
export type ListKind = (typeof LIST_KINDS)[number];

/** The deepest indent libs/ot accepts. */
export const MAX_INDENT = 8;

/** Each line touched by the selection, with its position. */
export function selectedLines(state: EditorState): { node: PmNode; pos: number }[] {
  const { from, to } = state.selection;
  const lines: { node: PmNode; pos: number }[] = [];
  const doc = state.doc;
  const first = doc.resolve(from).index(0);
  const last = Math.min(doc.resolve(to).index(0), doc.childCount - 1);
  let pos = 0;
  for (let i = 0; i < first; i++) pos += doc.child(i).nodeSize;
  for (let i = first; i <= last; i++) {
    const node = doc.child(i);
    if (node.type.name === LINE_NODE) lines.push({ node, pos });
    pos += node.nodeSize;
  }
  return lines;
}

function setAttr(tr: Transaction, pos: number, node: PmNode, name: string, value: unknown): void {
  if (node.attrs[name] !== value) tr.setNodeAttribute(pos, name, value);
}

/** Sets one line attribute on every selected line (null removes it). */
export function setLineAttribute(name: string, value: unknown): Command {
  return (state, dispatch) => {
    const lines = selectedLines(state);
    if (lines.length === 0) return false;
    if (dispatch) {
      const tr = state.tr;
      for (const { node, pos } of lines) setAttr(tr, pos, node, name, value);
      dispatch(tr);
    }
    return true;
  };
}

/**
 * Toggles a kind format (header level, list kind, quote, code line): off when
 * every selected line already has it, otherwise on for all of them with the
 * other kind formats cleared.
 */
export function toggleLineKind(name: (typeof KIND_ATTRS)[number], value: unknown): Command {
  return (state, dispatch) => {
    const lines = selectedLines(state);
    if (lines.length === 0) return false;
    const allSet = lines.every(({ node }) => node.attrs[name] === value);
    if (dispatch) {
      const tr = state.tr;
      for (const { node, pos } of lines) {
        if (allSet) {
          setAttr(tr, pos, node, name, null);
          continue;
        }
        for (const other of KIND_ATTRS) if (other !== name) setAttr(tr, pos, node, other, null);
        setAttr(tr, pos, node, name, value);
      }
      dispatch(tr);
    }
    return true;
  };
}

/** Clears the kind formats of the selected lines (back to plain paragraphs). */
export function setPlainLine(): Command {
  return (state, dispatch) => {
    const lines = selectedLines(state);
    if (lines.length === 0) return false;
    if (dispatch) {
      const tr = state.tr;
      for (const { node, pos } of lines) for (const name of KIND_ATTRS) setAttr(tr, pos, node, name, null);
      dispatch(tr);
    }
    return true;
  };
}

/** Indents (+1) or outdents (-1) the selected lines within 0..8; no indent is stored as null. */
export function changeIndent(by: 1 | -1): Command {
  return (state, dispatch) => {
    const lines = selectedLines(state);
    const changes = lines
      .map(({ node, pos }) => {
        const current = (node.attrs[LINE_ATTRIBUTES.indent] as number | null) ?? 0;
        const next = Math.max(0, Math.min(MAX_INDENT, current + by));
        return { node, pos, next: next === 0 ? null : next };
      })
      .filter(({ node, next }) => node.attrs[LINE_ATTRIBUTES.indent] !== next);
    if (changes.length === 0) return false;
    if (dispatch) {
      const tr = state.tr;
      for (const { node, pos, next } of changes) setAttr(tr, pos, node, LINE_ATTRIBUTES.indent, next);
      dispatch(tr);
    }
    return true;
  };
}

/** Flips checked/unchecked on the task line at `pos`, or on the selected task lines. */
export function toggleChecked(pos?: number): Command {
  return (state, dispatch) => {
    const lines =
      pos === undefined
        ? selectedLines(state)
        : (() => {
            const node = state.doc.nodeAt(pos);
            return node && node.type.name === LINE_NODE ? [{ node, pos }] : [];
          })();
    const tasks = lines.filter(({ node }) => {
      const list = node.attrs[LINE_ATTRIBUTES.list];
      return list === 'checked' || list === 'unchecked';
    });
    if (tasks.length === 0) return false;
    if (dispatch) {
      const tr = state.tr;
      const target = tasks.every(({ node }) => node.attrs[LINE_ATTRIBUTES.list] === 'checked')
        ? 'unchecked'
        : 'checked';
      for (const { node, pos: at } of tasks) setAttr(tr, at, node, LINE_ATTRIBUTES.list, target);
      dispatch(tr);
    }
    return true;
  };
}

/** Sets (or clears with null) the alignment of the selected lines. */
export function setAlign(align: (typeof ALIGN_VALUES)[number] | null): Command {
  return setLineAttribute(LINE_ATTRIBUTES.align, align);
}

/**
 * Enter: split the line at the caret (after deleting the selection). The new
 * line keeps the line's formats, as in Quill, except that a heading ends at
 * its end (the next line is body text) and a new task starts unchecked. Enter
 * on an empty list line ends the list instead, like every word processor.
 */
export function splitLine(): Command {
  return (state, dispatch) => {
    const { $from, $to } = state.selection;
    if ($from.depth !== 1 || $to.depth !== 1 || $from.parent.type.name !== LINE_NODE) return false;
    const line = $from.parent;
    if (state.selection.empty && line.content.size === 0 && line.attrs[LINE_ATTRIBUTES.list] !== null) {
      if (dispatch) dispatch(state.tr.setNodeAttribute($from.before(1), LINE_ATTRIBUTES.list, null));
      return true;
    }
    if (!dispatch) return true;
    const tr = state.tr;
    const marks = state.storedMarks ?? ($to.parentOffset > 0 ? $to.marks() : null);
    if (!state.selection.empty) tr.deleteSelection();
    const $pos = tr.selection.$from;
    const current = $pos.parent;
    const atEnd = $pos.parentOffset === current.content.size;
    const attrs: Record<string, unknown> = { ...current.attrs };
    if (atEnd) attrs[LINE_ATTRIBUTES.header] = null;
    if (attrs[LINE_ATTRIBUTES.list] === 'checked') attrs[LINE_ATTRIBUTES.list] = 'unchecked';
    tr.split($pos.pos, 1, [{ type: current.type, attrs }]);
    if (marks) tr.ensureMarks(marks);
    dispatch(tr.scrollIntoView());
    return true;
  };
}

/**
 * Backspace with the caret at the start of a formatted line removes one level
 * of format before any text: the list, heading, quote or code format first,
 * then one indent step. Otherwise it does nothing (the default joins lines,
 * and the joined line keeps the first line's format, as Quill does).
 */
export function backspaceAtLineStart(): Command {
  return (state, dispatch) => {
    const { $from, empty } = state.selection;
    if (!empty || $from.depth !== 1 || $from.parentOffset !== 0) return false;
    const line = $from.parent;
    const pos = $from.before(1);
    for (const name of KIND_ATTRS) {
      if (line.attrs[name] !== null) {
        if (dispatch) dispatch(state.tr.setNodeAttribute(pos, name, null));
        return true;
      }
    }
    const indent = line.attrs[LINE_ATTRIBUTES.indent] as number | null;
    if (indent !== null && indent > 0) {
      if (dispatch)
        dispatch(state.tr.setNodeAttribute(pos, LINE_ATTRIBUTES.indent, indent === 1 ? null : indent - 1));
      return true;
    }
    return false;
  };
}

/** Tab / Shift-Tab indent list lines (elsewhere they keep their default meaning). */
export function indentListLine(by: 1 | -1): Command {
  return (state, dispatch) => {
    const lines = selectedLines(state);
    if (lines.length === 0 || !lines.every(({ node }) => node.attrs[LINE_ATTRIBUTES.list] !== null))
      return false;
    changeIndent(by)(state, dispatch);
    return true;
  };
}

function insertEmbedLine(state: EditorState, embed: PmNode, dispatch?: (tr: Transaction) => void): boolean {
  const { $from } = state.selection;
  if ($from.depth !== 1) return false;
  if (!dispatch) return true;
  const tr = state.tr.deleteSelection();
  let $pos = tr.selection.$from;
  const type: NodeType = $pos.parent.type;
  const plain = { ...$pos.parent.attrs, [LINE_ATTRIBUTES.header]: null };
  // The embed gets a line of its own: split before it unless the caret is at a line start.
  if ($pos.parentOffset > 0) {
    tr.split($pos.pos, 1, [{ type, attrs: plain }]);
    $pos = tr.doc.resolve(tr.mapping.map($pos.pos));
  }
  tr.insert($pos.pos, embed);
  const after = $pos.pos + embed.nodeSize;
  tr.split(after, 1, [{ type, attrs: plain }]);
  tr.setSelection(TextSelection.create(tr.doc, after + 2));
  dispatch(tr.scrollIntoView());
  return true;
}

/** Inserts a divider on a line of its own and puts the caret on the line after it. */
export function insertDivider(): Command {
  return (state, dispatch) => {
    const type = state.schema.nodes[DIVIDER_NODE];
    return type ? insertEmbedLine(state, type.create(), dispatch) : false;
  };
}
