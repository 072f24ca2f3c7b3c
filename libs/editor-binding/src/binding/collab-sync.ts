import { type EditorState, Plugin, PluginKey, type Transaction } from '@tiptap/pm/state';
import type Delta from 'quill-delta';
import { isForeign } from '../local/change-origin';
import { localChangeOf } from '../local/local-change';

/*
 * The sync plugin turns this user's transactions into Deltas for the binding.
 *
 * - filterTransaction refuses a local transaction whose change the Delta
 *   model cannot express or the server would refuse (a "\n" inside text, an
 *   unsafe link from some command, a lone surrogate): it never happens, so
 *   the editor never shows what others would not see.
 * - The plugin state holds the Delta of the last dispatch: the root
 *   transaction composed with any transactions other plugins appended to it
 *   (autolink, input rules), so one dispatch yields one outgoing Delta.
 * - After the view shows the new state, listeners registered for that view
 *   (see bindEditor) receive it.
 */

export type SyncState = Readonly<{
  /** The root transaction of the dispatch this state belongs to. */
  root: Transaction | null;
  /** This user's change in that dispatch, or null. */
  outgoing: Delta | null;
  /** True when the dispatch held a remote change or a load (the selection moved because of others). */
  foreign: boolean;
}>;

export const collabSyncKey = new PluginKey<SyncState>('collabSync');

const INITIAL: SyncState = { root: null, outgoing: null, foreign: false };

export type UpdateListener = (state: EditorState, previous: EditorState) => void;

const listeners = new WeakMap<object, UpdateListener>();

/** Registers the listener called after each update of `view` (one per view). */
export function listenToUpdates(view: object, listener: UpdateListener): () => void {
  listeners.set(view, listener);
  return () => {
    if (listeners.get(view) === listener) listeners.delete(view);
  };
}

/** Called by the plugin's view after every state update (and by hosts without a ProseMirror view). */
export function notifyUpdate(view: { readonly state: EditorState }, previous: EditorState): void {
  listeners.get(view)?.(view.state, previous);
}

function apply(tr: Transaction, value: SyncState): SyncState {
  const root = (tr.getMeta('appendedTransaction') as Transaction | undefined) ?? tr;
  const sameDispatch = root !== tr && value.root === root;
  const foreign = isForeign(tr);
  let change: Delta | null = null;
  if (!foreign && tr.docChanged) {
    const local = localChangeOf(tr);
    change = local.ok ? local.value : null;
  }
  if (!sameDispatch) return { root, outgoing: change, foreign };
  const outgoing =
    change === null ? value.outgoing : value.outgoing === null ? change : value.outgoing.compose(change);
  return { root, outgoing, foreign: value.foreign || foreign };
}

export function collabSyncPlugin(): Plugin<SyncState> {
  return new Plugin<SyncState>({
    key: collabSyncKey,
    state: { init: () => INITIAL, apply: (tr, value) => apply(tr, value) },
    filterTransaction: (tr) => !tr.docChanged || isForeign(tr) || localChangeOf(tr).ok,
    view: () => ({ update: (view, previous) => notifyUpdate(view, previous) }),
  });
}

/** The outgoing Delta of the dispatch that produced `state`, when `state` is new since `previous`. */
export function outgoingChange(state: EditorState, previous: EditorState): Delta | null {
  const now = collabSyncKey.getState(state);
  if (!now || now === collabSyncKey.getState(previous)) return null;
  return now.outgoing && now.outgoing.ops.length > 0 ? now.outgoing : null;
}
