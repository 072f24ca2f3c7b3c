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
import { caretAfter, invertChange, transformStack, type UndoEntry } from './undo-stack';

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
}>;

export const collabHistoryKey = new PluginKey<HistoryState>('collabHistory');

/** Set on a transaction to start a new undo group after it. */
export const CLOSE_HISTORY_META = 'collabCloseHistory';

const EMPTY: HistoryState = { undo: [], redo: [], lastTime: 0 };

function push(stack: readonly UndoEntry[], entry: UndoEntry, depth: number): UndoEntry[] {
  const next = stack.length >= depth ? stack.slice(stack.length - depth + 1) : stack.slice();
  next.push(entry);
  return next;
}

function rebase(value: HistoryState, change: Delta): HistoryState {
  return {
    undo: transformStack(value.undo, change),
    redo: transformStack(value.redo, change),
    lastTime: value.lastTime,
  };
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
  if (!tr.docChanged) return tr.getMeta(CLOSE_HISTORY_META) ? { ...value, lastTime: 0 } : value;
  const local = localChangeOf(tr);
  if (!local.ok || local.value === null) return value;
  const change = local.value;
  // Our own change that must not be undone (a plugin's fix-up): the stacks move over it like over a remote one.
  if (tr.getMeta('addToHistory') === false) return rebase(value, change);
  const inverse = { delta: invertChange(change, before.doc) };
  if (meta?.origin === ChangeOrigin.undo) {
    return { undo: value.undo.slice(0, -1), redo: push(value.redo, inverse, options.depth), lastTime: 0 };
  }
  if (meta?.origin === ChangeOrigin.redo) {
    return { undo: push(value.undo, inverse, options.depth), redo: value.redo.slice(0, -1), lastTime: 0 };
  }
  const group = value.lastTime > 0 && tr.time - value.lastTime < options.groupDelay && value.undo.length > 0;
  const undo = group
    ? [...value.undo.slice(0, -1), { delta: inverse.delta.compose(value.undo[value.undo.length - 1].delta) }]
    : push(value.undo, inverse, options.depth);
  return { undo, redo: [], lastTime: tr.getMeta(CLOSE_HISTORY_META) ? 0 : tr.time };
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
