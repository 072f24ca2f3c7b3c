import { type EditorState, type Transaction } from '@tiptap/pm/state';
import { type DeltaSelection } from '@collab/ot';
import type Delta from 'quill-delta';
import { type BindingResult } from '../binding-errors';
import { selectionToDelta } from '../convert/selection';
import { applyDelta } from '../remote/apply-delta';
import { loadDocument } from '../remote/load-document';
import { type RemotePeer, removePeer, setPeers, upsertPeer } from '../presence/remote-presence';
import { collabSyncKey, listenToUpdates, outgoingChange } from './collab-sync';

/**
 * What the binding needs from libs/client's CollabDocument (structurally, so
 * this lib does not depend on the SDK and its socket).
 */
export interface CollabDocumentLike {
  /** The local document: server content plus pending local edits. */
  readonly document: Delta;
  submit(change: Delta): void;
  setSelection(selection: DeltaSelection | null): void;
  on(event: 'remote', listener: (change: Delta) => void): () => void;
}

/** The editor side: a ProseMirror EditorView (Tiptap's `editor.view`) satisfies it. */
export interface EditorHost {
  readonly state: EditorState;
  dispatch(tr: Transaction): void;
}

export type BindingError = Readonly<{ code: string; message: string; change: Delta }>;

/**
 * Tells of a dispatch once its new state is computed, before the view draws
 * it: Tiptap's Editor satisfies it (its 'beforeTransaction' event).
 */
export interface DispatchSource {
  on(event: 'beforeTransaction', listener: (props: { nextState: EditorState }) => void): unknown;
  off(event: 'beforeTransaction', listener: (props: { nextState: EditorState }) => void): unknown;
}

export type BindOptions = Readonly<{
  /**
   * Called when a remote change did not fit the editor's document. The
   * binding then reloads the editor from the SDK's document (which already
   * holds the change), so the copies agree again; the undo history restarts.
   */
  onError?: (error: BindingError) => void;
  /**
   * When given, a local edit's Delta is submitted as soon as the dispatch's
   * state is computed, before ProseMirror updates the DOM and the DOM
   * selection (a few milliseconds in a long document): the edit reaches the
   * network, and so the collaborators, that much sooner. The Delta depends
   * only on the transaction, never on the DOM.
   */
  dispatches?: DispatchSource;
}>;

/** A live connection between one editor and one CollabDocument. */
export interface CollabBinding {
  /** Draws other people's carets (selections in local Delta indexes; see RemotePeer). */
  setPeers(peers: readonly RemotePeer[]): void;
  /** Adds or moves one peer's caret. */
  updatePeer(peer: RemotePeer): void;
  removePeer(id: string): void;
  /** Tells others this editor lost focus (no caret is drawn for it). */
  blur(): void;
  /** Stops listening; the editor keeps its content. */
  destroy(): void;
}

/**
 * Connects an editor built with collabExtensions() to a CollabDocument:
 *
 * - the editor is loaded with the document's content;
 * - every local edit is submitted as one Delta per dispatch (typing, paste,
 *   formatting, undo/redo; never remote changes, never loads);
 * - every remote change is applied as one transaction that keeps the local
 *   caret in place and stays out of the undo history;
 * - this user's selection is shared (as Delta indexes) whenever the user
 *   moves it or edits, and not when others' edits move it.
 *
 * The web app only wires presence events to setPeers/updatePeer/removePeer.
 */
export function bindEditor(
  host: EditorHost,
  doc: CollabDocumentLike,
  options: BindOptions = {},
): CollabBinding {
  let lastSent: DeltaSelection | null = null;

  const dispatchResult = (result: BindingResult<Transaction>): boolean => {
    if (!result.ok) return false;
    host.dispatch(result.value);
    return true;
  };

  const load = () => loadDocument(host.state, doc.document);

  // Each dispatch's Delta is submitted once: early (options.dispatches) or after the update.
  let submittedFor: EditorState | null = null;
  const submitFor = (state: EditorState, previous: EditorState) => {
    if (submittedFor === state) return;
    submittedFor = state;
    const change = outgoingChange(state, previous);
    if (change) doc.submit(change);
  };
  const early = ({ nextState }: { nextState: EditorState }) => submitFor(nextState, host.state);
  options.dispatches?.on('beforeTransaction', early);

  const stopUpdates = listenToUpdates(host, (state, previous) => {
    submitFor(state, previous);
    if (state.selection.eq(previous.selection) && state.doc === previous.doc) return;
    const sync = collabSyncKey.getState(state);
    if (sync?.foreign && sync.outgoing === null) {
      // Others' edits moved the caret: they transform our last presence themselves.
      // (Checked first: converting the selection walks the document, once per remote change.)
      return;
    }
    const selection = selectionToDelta(state);
    if (lastSent && lastSent.anchor === selection.anchor && lastSent.head === selection.head) return;
    lastSent = selection;
    doc.setSelection(selection);
  });

  const stopRemote = doc.on('remote', (change) => {
    const result = applyDelta(host.state, change);
    if (dispatchResult(result)) return;
    if (!result.ok) options.onError?.({ code: result.code, message: result.message, change });
    const reloaded = load();
    // An SDK document that is not a valid document leaves the editor as it was, and says so.
    if (!dispatchResult(reloaded) && !reloaded.ok) {
      options.onError?.({ code: reloaded.code, message: reloaded.message, change });
    }
  });

  const initial = load();
  if (!initial.ok) {
    options.dispatches?.off('beforeTransaction', early);
    stopUpdates();
    stopRemote();
    // The SDK's document passed the server's validation: failing here is a programming error.
    throw new Error(`cannot load the document: ${initial.code} ${initial.message}`);
  }
  host.dispatch(initial.value);

  return {
    setPeers: (peers) => host.dispatch(setPeers(host.state, peers)),
    updatePeer: (peer) => host.dispatch(upsertPeer(host.state, peer)),
    removePeer: (id) => host.dispatch(removePeer(host.state, id)),
    blur: () => {
      lastSent = null;
      doc.setSelection(null);
    },
    destroy: () => {
      options.dispatches?.off('beforeTransaction', early);
      stopUpdates();
      stopRemote();
    },
  };
}
