import {
  type Command,
  type EditorState,
  Plugin,
  PluginKey,
  TextSelection,
  type Transaction,
} from '@tiptap/pm/state';
import type Delta from 'quill-delta';
import { indexToPm } from '../convert/positions';
import { ChangeOrigin, getDeltaMeta } from '../local/change-origin';
import { localChangeOf } from '../local/local-change';
import { applyDelta } from '../remote/apply-delta';
import { caretAfter, invertChange, spanOf, transformStack, undoEntry, type UndoEntry } from './undo-stack';

export type CollabHistoryOptions = Readonly<{
  /** Edits less than this many milliseconds apart undo together (as in prosemirror-history). */
  groupDelay: number;
  /** Most entries kept on each stack. */
  depth: number;
}>;

export const DEFAULT_HISTORY_OPTIONS: CollabHistoryOptions = { groupDelay: 500, depth: 200 };

export type HistoryState = Readonly<{
  undo: readonly UndoEntry[];
  redo: readonly UndoEntry[];
  /** Time of the last local edit, for grouping; 0 closes the group. */
  lastTime: number;
  /**
   * Where the last local edit left its mark on the current document (Delta
   * indexes, moved through later remote changes): a new edit groups with it
   * only when it touches this range (typing on, or backspacing), as in
   * prosemirror-history. Null when there is no open group.
   */
  lastRange: Readonly<{ from: number; to: number }> | null;
}>;

export const collabHistoryKey = new PluginKey<HistoryState>('collabHistory');

/** Set on a transaction to start a new undo group after it. */
export const CLOSE_HISTORY_META = 'collabCloseHistory';

const EMPTY: HistoryState = { undo: [], redo: [], lastTime: 0, lastRange: null };

/** A group never grows past this many components: undo stays cheap and meaningful. */
const MAX_GROUP_OPS = 100;

function push(stack: readonly UndoEntry[], entry: UndoEntry, depth: number): UndoEntry[] {
  const next = stack.length >= depth ? stack.slice(stack.length - depth + 1) : stack.slice();
  next.push(entry);
  return next;
}

function rebase(value: HistoryState, change: Delta): HistoryState {
  const range = value.lastRange;
  return {
    undo: transformStack(value.undo, change),
    redo: transformStack(value.redo, change),
    lastTime: value.lastTime,
    lastRange: range && {
      // Text others insert at either edge stays outside the range (the libs/ot selection rule).
      from: change.transformPosition(range.from, false),
      to: Math.max(change.transformPosition(range.from, false), change.transformPosition(range.to, true)),
    },
  };
}

/** The range of the new document a local change wrote to: from its first touched index over what it inserted. */
function writtenRange(change: Delta): { from: number; to: number } {
  const span = spanOf(change);
  return { from: span.start, to: span.start + Math.max(0, span.end - span.start + span.growth) };
}

function applyTransaction(
  value: HistoryState,
  tr: Transaction,
  before: EditorState,
  options: CollabHistoryOptions,
): HistoryState {
  const meta = getDeltaMeta(tr);
  if (meta?.origin === ChangeOrigin.load) return EMPTY;
  if (meta?.origin === ChangeOrigin.remote) return rebase(value, meta.delta);
  if (!tr.docChanged)
    return tr.getMeta(CLOSE_HISTORY_META) ? { ...value, lastTime: 0, lastRange: null } : value;
  const local = localChangeOf(tr);
  if (!local.ok || local.value === null) return value;
  const change = local.value;
  // Our own change that must not be undone (a plugin's fix-up): the stacks move over it like over a remote one.
  if (tr.getMeta('addToHistory') === false) return rebase(value, change);
  const inverse = undoEntry(invertChange(change, before.doc));
  if (meta?.origin === ChangeOrigin.undo) {
    return {
      undo: value.undo.slice(0, -1),
      redo: push(value.redo, inverse, options.depth),
      lastTime: 0,
      lastRange: null,
    };
  }
  if (meta?.origin === ChangeOrigin.redo) {
    return {
      undo: push(value.undo, inverse, options.depth),
      redo: value.redo.slice(0, -1),
      lastTime: 0,
      lastRange: null,
    };
  }
  const top = value.undo[value.undo.length - 1];
  const span = spanOf(change);
  const range = value.lastRange;
  const group =
    top !== undefined &&
    range !== null &&
    value.lastTime > 0 &&
    tr.time - value.lastTime < options.groupDelay &&
    span.start <= range.to &&
    span.end >= range.from - 1 &&
    top.delta.ops.length < MAX_GROUP_OPS;
  const undo = group
    ? [...value.undo.slice(0, -1), undoEntry(inverse.delta.compose(top.delta))]
    : push(value.undo, inverse, options.depth);
  const closed = tr.getMeta(CLOSE_HISTORY_META) === true;
  return { undo, redo: [], lastTime: closed ? 0 : tr.time, lastRange: closed ? null : writtenRange(change) };
}

/** The collaborative undo plugin (see undo-stack.ts for the algorithm). */
export function collabHistoryPlugin(options: Partial<CollabHistoryOptions> = {}): Plugin<HistoryState> {
  const resolved = { ...DEFAULT_HISTORY_OPTIONS, ...options };
  return new Plugin<HistoryState>({
    key: collabHistoryKey,
    state: {
      init: () => EMPTY,
      apply: (tr, value, before) => applyTransaction(value, tr, before, resolved),
    },
    props: {
      handleDOMEvents: {
        beforeinput(view, event) {
          const command =
            event.inputType === 'historyUndo' ? undo : event.inputType === 'historyRedo' ? redo : null;
          if (!command) return false;
          event.preventDefault();
          return command(view.state, view.dispatch);
        },
      },
    },
  });
}

function replay(origin: typeof ChangeOrigin.undo | typeof ChangeOrigin.redo): Command {
  return (state, dispatch) => {
    const value = collabHistoryKey.getState(state);
    const stack = origin === ChangeOrigin.undo ? value?.undo : value?.redo;
    const entry = stack?.[stack.length - 1];
    if (!entry) return false;
    if (!dispatch) return true;
    const built = applyDelta(state, entry.delta, { origin });
    // Entries are rebased over every change, so they always fit; a refusal would be a bug, never a partial undo.
    if (!built.ok) return false;
    const tr = built.value;
    tr.setSelection(TextSelection.create(tr.doc, indexToPm(tr.doc, caretAfter(entry.delta))));
    dispatch(tr.scrollIntoView());
    return true;
  };
}

/** Undoes this user's last edit (group), rebased over everything others did since. */
export const undo: Command = replay(ChangeOrigin.undo);
/** Redoes the last undone edit. */
export const redo: Command = replay(ChangeOrigin.redo);

/** How many undo and redo steps are available (for toolbar buttons). */
export function historyDepth(state: EditorState): { undo: number; redo: number } {
  const value = collabHistoryKey.getState(state);
  return { undo: value?.undo.length ?? 0, redo: value?.redo.length ?? 0 };
}
