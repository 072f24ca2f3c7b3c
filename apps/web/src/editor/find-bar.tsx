import type { Editor } from '@tiptap/react';
import { type KeyboardEvent, useEffect, useMemo, useReducer, useRef, useState } from 'react';
import { findMatches, highlight, replaceAll, replaceOne } from './find-replace';

/**
 * Find (Ctrl+F) and replace (Ctrl+H) in the document. Matches are
 * highlighted as decorations; Enter goes to the next one, Shift+Enter to the
 * previous; Escape closes and puts the caret back in the document.
 */
export function FindBar({
  editor,
  canReplace,
  withReplace,
  onClose,
}: {
  editor: Editor;
  canReplace: boolean;
  withReplace: boolean;
  onClose: () => void;
}) {
  const [query, setQuery] = useState('');
  const [replacement, setReplacement] = useState('');
  const [matchCase, setMatchCase] = useState(false);
  const [current, setCurrent] = useState(0);
  const [version, bump] = useReducer((n: number) => n + 1, 0);
  const findRef = useRef<HTMLInputElement | null>(null);

  // Follows the document: someone else's edit moves or removes matches.
  useEffect(() => {
    const onUpdate = () => bump();
    editor.on('update', onUpdate);
    return () => void editor.off('update', onUpdate);
  }, [editor]);
  useEffect(() => findRef.current?.focus(), [withReplace]);

  const matches = useMemo(
    () => findMatches(editor.state.doc, query, matchCase),
    // `version` changes with the document.
    [editor, query, matchCase, version],
  );
  const index = matches.length === 0 ? -1 : Math.min(current, matches.length - 1);

  useEffect(() => {
    if (editor.isDestroyed) return;
    editor.view.dispatch(highlight(editor.state, matches, index));
    const match = matches[index];
    if (match) editor.view.domAtPos(match.from).node.parentElement?.scrollIntoView({ block: 'nearest' });
  }, [editor, matches, index]);
  useEffect(
    () => () => {
      if (!editor.isDestroyed) editor.view.dispatch(highlight(editor.state, [], -1));
    },
    [editor],
  );

  const step = (by: number) =>
    matches.length > 0 && setCurrent((index + by + matches.length) % matches.length);
  const close = () => {
    const match = matches[index];
    if (match) editor.chain().focus().setTextSelection(match).run();
    else editor.commands.focus();
    onClose();
  };
  const onKeyDown = (event: KeyboardEvent) => {
    if (event.key === 'Escape') {
      event.preventDefault();
      close();
    } else if (event.key === 'Enter' && event.currentTarget === findRef.current) {
      event.preventDefault();
      step(event.shiftKey ? -1 : 1);
    }
  };
  const replaceCurrent = () => {
    const match = matches[index];
    if (match) editor.view.dispatch(replaceOne(editor.state, match, replacement));
  };
  const replaceEvery = () => {
    const tr = replaceAll(editor.state, query, replacement, matchCase);
    if (tr) editor.view.dispatch(tr);
  };

  return (
    <div className="find-bar card" role="search" aria-label="Find in document">
      <div className="find-row">
        <input
          ref={findRef}
          type="search"
          aria-label="Find"
          placeholder="Find"
          value={query}
          onChange={(e) => {
            setQuery(e.target.value);
            setCurrent(0);
          }}
          onKeyDown={onKeyDown}
        />
        <span className="find-count" aria-live="polite">
          {query === '' ? '' : matches.length === 0 ? 'No matches' : `${index + 1} of ${matches.length}`}
        </span>
        <button type="button" aria-label="Previous match" onClick={() => step(-1)} onKeyDown={onKeyDown}>
          ↑
        </button>
        <button type="button" aria-label="Next match" onClick={() => step(1)} onKeyDown={onKeyDown}>
          ↓
        </button>
        <label className="find-case">
          <input type="checkbox" checked={matchCase} onChange={(e) => setMatchCase(e.target.checked)} />
          Match case
        </label>
        <button type="button" aria-label="Close find" onClick={close} onKeyDown={onKeyDown}>
          ✕
        </button>
      </div>
      {withReplace && canReplace && (
        <div className="find-row">
          <input
            type="text"
            aria-label="Replace with"
            placeholder="Replace with"
            value={replacement}
            onChange={(e) => setReplacement(e.target.value)}
            onKeyDown={onKeyDown}
          />
          <button type="button" disabled={index < 0} onClick={replaceCurrent} onKeyDown={onKeyDown}>
            Replace
          </button>
          <button type="button" disabled={index < 0} onClick={replaceEvery} onKeyDown={onKeyDown}>
            Replace all
          </button>
        </div>
      )}
    </div>
  );
}
