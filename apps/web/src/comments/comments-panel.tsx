import { useEffect, useLayoutEffect, useRef, useState } from 'react';
import { CommentComposer } from './comment-composer';
import type { ThreadView } from './pending-view';
import { type ThreadContext, ThreadCard } from './thread-card';

/** At least this wide, threads sit level with their text; narrower, they form a list. */
const WIDE_QUERY = '(min-width: 1100px)';
const GAP = 8;

function useWide(): boolean {
  const [wide, setWide] = useState(() => window.matchMedia(WIDE_QUERY).matches);
  useEffect(() => {
    const query = window.matchMedia(WIDE_QUERY);
    const onChange = () => setWide(query.matches);
    query.addEventListener('change', onChange);
    return () => query.removeEventListener('change', onChange);
  }, []);
  return wide;
}

/** A new comment on the selected text, being written. */
export interface CommentDraft {
  readonly quote: string;
  readonly submit: (body: string, mentions: string[]) => Promise<void>;
  readonly cancel: () => void;
}

/**
 * The comments beside the document. Open threads come first; on a wide
 * screen each sits level with its highlight (pushed down just enough not
 * to cover the one above), on a narrow one they form a list in the order
 * of the text. Resolved threads have left the text: they are listed under
 * "Resolved", where they can be reopened.
 */
export function CommentsPanel({
  threads,
  context,
  activeId,
  onActivate,
  draft,
  placeOf,
  layoutTick,
  error,
  notice,
}: {
  threads: readonly ThreadView[];
  context: ThreadContext;
  activeId: string | null;
  onActivate: (threadId: string) => void;
  draft: CommentDraft | null;
  /** Where a thread's highlight starts, in viewport pixels (null: not in the text). */
  placeOf: (threadId: string) => number | null;
  /** Changes whenever the text or its highlights moved. */
  layoutTick: number;
  error: string | null;
  /** Not a failure (the threads shown are this device's copy): said politely, not as an alert. */
  notice: string | null;
}) {
  const wide = useWide();
  const track = useRef<HTMLDivElement | null>(null);
  const cards = useRef(new Map<string, HTMLElement>());
  const [tops, setTops] = useState<ReadonlyMap<string, number>>(new Map());

  const open = threads.filter((t) => t.resolvedAt === null);
  const resolved = threads.filter((t) => t.resolvedAt !== null);
  // In the order of the text; detached ones (no highlight) last.
  const places = new Map(open.map((t) => [t.id, placeOf(t.id)]));
  const ordered = [...open].sort((a, b) => {
    const pa = places.get(a.id) ?? null;
    const pb = places.get(b.id) ?? null;
    if (pa === null || pb === null) return pa === null ? (pb === null ? 0 : 1) : -1;
    return pa - pb || a.anchor.from - b.anchor.from;
  });

  useLayoutEffect(() => {
    if (!wide || !track.current) return;
    const origin = track.current.getBoundingClientRect().top;
    const next = new Map<string, number>();
    let bottom = 0;
    for (const thread of ordered) {
      const place = places.get(thread.id);
      const top = Math.max(place === null || place === undefined ? bottom : place - origin, bottom);
      next.set(thread.id, top);
      bottom = top + (cards.current.get(thread.id)?.offsetHeight ?? 0) + GAP;
    }
    const same =
      next.size === tops.size && [...next].every(([id, top]) => Math.abs((tops.get(id) ?? -1) - top) < 1);
    if (!same) setTops(next);
  });

  const height = wide
    ? Math.max(0, ...ordered.map((t) => (tops.get(t.id) ?? 0) + (cards.current.get(t.id)?.offsetHeight ?? 0)))
    : undefined;
  const card = (thread: ThreadView, positioned: boolean) => (
    <ThreadCard
      key={thread.id}
      ref={(el) => {
        if (el) cards.current.set(thread.id, el);
        else cards.current.delete(thread.id);
      }}
      thread={thread}
      context={context}
      active={thread.id === activeId}
      top={positioned ? (tops.get(thread.id) ?? 0) : undefined}
      onActivate={() => onActivate(thread.id)}
    />
  );

  return (
    <aside
      className="comments-panel"
      aria-label="Comments"
      data-layout={wide ? 'beside' : 'list'}
      data-tick={layoutTick}
    >
      <h2 className="visually-hidden">Comments</h2>
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      {notice && (
        <p className="notice-line" role="status">
          {notice}
        </p>
      )}
      {draft && (
        <section className="thread card new-thread" aria-label="Comment on the selected text">
          <blockquote className="thread-quote">{draft.quote}</blockquote>
          <CommentComposer
            label="New comment"
            members={context.members}
            meId={context.meId}
            submitLabel="Comment"
            autoFocus
            onSubmit={draft.submit}
            onCancel={draft.cancel}
          />
        </section>
      )}
      {open.length === 0 && !draft && <p className="muted">No comments yet. Select text to comment on it.</p>}
      <div className="thread-track" ref={track} style={height === undefined ? undefined : { height }}>
        {ordered.map((thread) => card(thread, wide))}
      </div>
      {resolved.length > 0 && (
        <details className="resolved-threads">
          <summary>Resolved ({resolved.length})</summary>
          {resolved.map((thread) => card(thread, false))}
        </details>
      )}
    </aside>
  );
}
