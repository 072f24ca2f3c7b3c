import { useId, useLayoutEffect, useRef, useState } from 'react';
import { describeError } from '../errors/messages';
import {
  insertMention,
  type Mentionable,
  mentionedUserIds,
  mentionQueryAt,
  mentionSuggestions,
} from './mentions';

/**
 * A comment's text box: "@" suggests the document's members (arrows to
 * choose, Enter or Tab to take one, Escape to close the list), Ctrl+Enter
 * sends. The body goes as typed, plain text; the people it names with "@"
 * go with it as mentions.
 */
export function CommentComposer({
  label,
  members,
  meId,
  initial = '',
  submitLabel,
  autoFocus = false,
  onSubmit,
  onCancel,
}: {
  label: string;
  members: readonly Mentionable[];
  meId: string | undefined;
  initial?: string;
  submitLabel: string;
  autoFocus?: boolean;
  onSubmit: (body: string, mentions: string[]) => Promise<void>;
  onCancel?: () => void;
}) {
  const [text, setText] = useState(initial);
  const [caret, setCaret] = useState(initial.length);
  const [chosen, setChosen] = useState(0);
  const [closed, setClosed] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const box = useRef<HTMLTextAreaElement | null>(null);
  const listId = useId();
  // Where the caret goes once a picked mention is in the box: set as the new text
  // commits, before the next key (a later frame would move it back over what was typed since).
  const caretAfter = useRef<number | null>(null);
  useLayoutEffect(() => {
    if (caretAfter.current === null || !box.current) return;
    box.current.setSelectionRange(caretAfter.current, caretAfter.current);
    caretAfter.current = null;
  });

  const query = closed ? null : mentionQueryAt(text, caret);
  const suggestions = query ? mentionSuggestions(members, query.query) : [];
  const open = suggestions.length > 0;
  const active = Math.min(chosen, suggestions.length - 1);

  const edit = (value: string, at: number) => {
    setText(value);
    setCaret(at);
    setChosen(0);
    setClosed(false);
  };
  const pick = (member: Mentionable) => {
    if (!query) return;
    const next = insertMention(text, query.start, caret, member.name);
    caretAfter.current = next.caret;
    edit(next.text, next.caret);
  };
  const submit = async () => {
    if (busy || text.trim() === '') return;
    setBusy(true);
    setError(null);
    try {
      await onSubmit(text, mentionedUserIds(text, members, meId));
      setText('');
      setCaret(0);
    } catch (e) {
      setError(describeError(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <form
      className="comment-composer"
      onSubmit={(e) => {
        e.preventDefault();
        void submit();
      }}
    >
      <textarea
        ref={box}
        aria-label={label}
        placeholder="Comment, or @ to mention someone"
        value={text}
        rows={2}
        autoFocus={autoFocus}
        role="combobox"
        aria-autocomplete="list"
        aria-expanded={open}
        aria-controls={listId}
        aria-activedescendant={open ? `${listId}-${active}` : undefined}
        onChange={(e) => edit(e.target.value, e.target.selectionStart)}
        onSelect={(e) => setCaret(e.currentTarget.selectionStart)}
        onKeyDown={(e) => {
          if (open && (e.key === 'ArrowDown' || e.key === 'ArrowUp')) {
            e.preventDefault();
            const step = e.key === 'ArrowDown' ? 1 : -1;
            setChosen((active + step + suggestions.length) % suggestions.length);
          } else if (open && (e.key === 'Enter' || e.key === 'Tab') && !e.ctrlKey && !e.metaKey) {
            e.preventDefault();
            pick(suggestions[active]);
          } else if (open && e.key === 'Escape') {
            e.preventDefault();
            e.stopPropagation();
            setClosed(true);
          } else if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
            e.preventDefault();
            void submit();
          } else if (e.key === 'Escape' && onCancel) {
            e.stopPropagation();
            onCancel();
          }
        }}
      />
      <ul className="mention-list card" role="listbox" id={listId} aria-label="People" hidden={!open}>
        {suggestions.map((member, i) => (
          <li
            key={member.userId}
            id={`${listId}-${i}`}
            role="option"
            aria-selected={i === active}
            // Keeps the focus in the text box.
            onMouseDown={(e) => e.preventDefault()}
            onClick={() => pick(member)}
          >
            {member.name}
          </li>
        ))}
      </ul>
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      <div className="comment-composer-actions">
        {onCancel && (
          <button type="button" onClick={onCancel}>
            Cancel
          </button>
        )}
        <button type="submit" className="primary" disabled={busy || text.trim() === ''}>
          {submitLabel}
        </button>
      </div>
    </form>
  );
}
