import type { CollabDocument } from '@collab/client';
import type { CommentThreadDto } from '@collab/contracts';
import { deltaLength } from '@collab/editor-binding';
import type { Editor } from '@tiptap/react';
import { useCallback, useEffect, useReducer, useRef } from 'react';
import { highlightRanges } from './comment-anchors';
import { commentHighlightKey, commentHighlightPlugin, highlightedRanges } from './comment-highlight';

/** The highlight of the comment being written (not yet a thread). */
export const DRAFT_ID = 'draft';

/**
 * Keeps the editor's comment highlights on the threads' anchors.
 *
 * The anchors hold at the server's version (useComments moves them through
 * each committed operation), and the editor shows that version plus this
 * client's unacknowledged edits. So the highlights are set from the anchors
 * only when there are none (every client then shows the same ranges); while
 * there are, the decorations move with the editor's own changes, and the
 * next acknowledgement sets them from the anchors again.
 */
export function useCommentHighlights(
  editor: Editor | null,
  doc: CollabDocument | null,
  threads: readonly CommentThreadDto[],
  onOpen: (threadId: string) => void,
) {
  const [tick, bump] = useReducer((n: number) => n + 1, 0);
  const onOpenRef = useRef(onOpen);
  onOpenRef.current = onOpen;
  const threadsRef = useRef(threads);
  threadsRef.current = threads;

  useEffect(() => {
    if (!editor) return;
    editor.registerPlugin(commentHighlightPlugin((id) => onOpenRef.current(id)));
    editor.on('update', bump);
    window.addEventListener('resize', bump);
    return () => {
      editor.off('update', bump);
      window.removeEventListener('resize', bump);
      if (!editor.isDestroyed) editor.unregisterPlugin(commentHighlightKey);
    };
  }, [editor]);

  const sync = useCallback(() => {
    if (!editor || editor.isDestroyed || !doc) return;
    const state = editor.state;
    // The editor applies a remote change just after the SDK reports it: wait for it to show this version.
    if (!doc.synced || deltaLength(state.doc) !== doc.length) {
      // Not at the anchors' version: keep the mapped highlights, but only of threads still open.
      const open = new Set(threadsRef.current.filter((t) => t.resolvedAt === null).map((t) => t.id));
      const shown = highlightedRanges(state);
      const kept = shown.filter((r) => r.threadId === DRAFT_ID || open.has(r.threadId));
      if (kept.length !== shown.length) {
        editor.view.dispatch(
          state.tr
            .setMeta(commentHighlightKey, { type: 'ranges', ranges: kept })
            .setMeta('addToHistory', false),
        );
        bump();
      }
      return;
    }
    const ranges = highlightRanges(
      state.doc,
      threadsRef.current.map((t) => ({ id: t.id, anchor: t.anchor, resolved: t.resolvedAt !== null })),
    );
    const draft = highlightedRanges(state).filter((r) => r.threadId === DRAFT_ID);
    editor.view.dispatch(
      state.tr
        .setMeta(commentHighlightKey, { type: 'ranges', ranges: [...ranges, ...draft] })
        .setMeta('addToHistory', false),
    );
    bump();
  }, [editor, doc]);

  useEffect(sync, [sync, threads]);
  useEffect(() => {
    if (!doc) return;
    return doc.on('pending', (count) => count === 0 && setTimeout(sync));
  }, [doc, sync]);

  const dispatchMeta = useCallback(
    (meta: Parameters<typeof highlightMeta>[0]) => {
      if (!editor || editor.isDestroyed) return;
      editor.view.dispatch(highlightMeta(meta, editor));
      bump();
    },
    [editor],
  );

  /** Where a highlight starts on screen (viewport y), or null. */
  const placeOf = useCallback(
    (threadId: string): number | null => {
      if (!editor || editor.isDestroyed) return null;
      const range = highlightedRanges(editor.state).find((r) => r.threadId === threadId);
      if (!range) return null;
      try {
        return editor.view.coordsAtPos(range.from).top;
      } catch {
        return null; // not laid out (the editor is hidden behind a past version)
      }
    },
    [editor],
  );

  return { tick, placeOf, dispatchMeta };
}

type Meta =
  | { type: 'add'; range: { threadId: string; from: number; to: number } }
  | { type: 'drop'; threadId: string }
  | { type: 'active'; threadId: string | null };

function highlightMeta(meta: Meta, editor: Editor) {
  return editor.state.tr.setMeta(commentHighlightKey, meta).setMeta('addToHistory', false);
}
