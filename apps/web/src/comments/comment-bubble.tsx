import type { Editor } from '@tiptap/react';
import { useEffect, useReducer } from 'react';
import { CommentIcon } from '../editor/icons';

/**
 * A small "Comment" button beside a selection of text, for those who may
 * comment (the only way in for a commenter, who has no toolbar).
 */
export function CommentBubble({ editor, onComment }: { editor: Editor; onComment: () => void }) {
  const [, rerender] = useReducer((n: number) => n + 1, 0);
  useEffect(() => {
    editor.on('selectionUpdate', rerender);
    editor.on('update', rerender);
    window.addEventListener('scroll', rerender, { passive: true });
    return () => {
      editor.off('selectionUpdate', rerender);
      editor.off('update', rerender);
      window.removeEventListener('scroll', rerender);
    };
  }, [editor]);

  const { selection } = editor.state;
  if (selection.empty || editor.isDestroyed || editor.view.dom.offsetParent === null) return null;
  let place: { top: number; left: number };
  try {
    const end = editor.view.coordsAtPos(selection.to);
    const box = editor.view.dom.getBoundingClientRect();
    // Only while the selection's end is on screen below the top bar (the bubble is fixed to the viewport).
    const barBottom = document.querySelector('.top-bar')?.getBoundingClientRect().bottom ?? 0;
    if (end.top < barBottom || end.bottom > window.innerHeight) return null;
    place = { top: end.top - 4, left: Math.min(box.right - 8, end.right + 8) };
  } catch {
    return null;
  }
  return (
    <button
      type="button"
      className="comment-bubble"
      style={{ top: place.top, left: place.left }}
      aria-label="Comment on the selection"
      title="Comment (Ctrl+Alt+M)"
      // The selection stays where it is.
      onMouseDown={(e) => e.preventDefault()}
      onClick={onComment}
    >
      <CommentIcon />
    </button>
  );
}
