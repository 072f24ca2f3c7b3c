import { type CollabDocument, CommentsClient } from '@collab/client';
import type { Anchor, AnchorRequest, CommentThreadDto, NotificationEvent } from '@collab/contracts';
import { transformAnchorThrough } from '@collab/ot';
import type Delta from 'quill-delta';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { AppServices } from '../app-context';
import { describeError } from '../errors/messages';
import { advanceAnchors } from './comment-anchors';
import { CommentOutbox, failureOutcome, flushPending, type PendingComment } from './comment-outbox';

/** Told when a comment is kept on this device because the server could not be reached. */
const KEPT_OFFLINE =
  'You are offline: your comment is kept on this device and will be sent when the connection is back.';

/** How many of the latest committed operations are kept to move anchors that arrive behind the stream. */
const RECENT_OPS = 1000;

export interface CommentsState {
  /** Open and resolved threads, oldest first; anchors at `version`. */
  readonly threads: readonly CommentThreadDto[];
  /** The server version the anchors hold at (the client's committed stream). */
  readonly version: number;
  readonly loaded: boolean;
  readonly error: string | null;
}

export interface CommentActions {
  readonly client: CommentsClient;
  /** The new thread, or null when it is kept in the outbox until the server can be reached. */
  start(anchor: AnchorRequest, body: string, mentions: string[]): Promise<CommentThreadDto | null>;
  reply(threadId: string, body: string, mentions: string[]): Promise<void>;
  edit(threadId: string, commentId: string, body: string, mentions: string[]): Promise<void>;
  remove(threadId: string, commentId: string): Promise<void>;
  resolve(threadId: string): Promise<void>;
  reopen(threadId: string): Promise<void>;
}

type Threads = ReadonlyMap<string, CommentThreadDto>;

/**
 * The comments of an open document, kept live: the list is read over REST
 * (again after every reconnect, since live events are at most once), the
 * SDK's comment events are applied as they come, and every anchor moves
 * through each operation the server commits (the SDK's `committed` stream),
 * so that at a version every client shows the server's ranges. An anchor
 * that arrives at an older version than the stream (a list read while
 * operations were arriving, a thread made on an older version) is moved
 * through the recent operations kept here; when those do not reach back far
 * enough the list is read again.
 */
export function useComments(
  services: AppServices,
  docId: string,
  doc: CollabDocument | null,
  onNotification: (event: NotificationEvent) => void,
): CommentsState & CommentActions {
  const [threads, setThreads] = useState<Threads>(new Map());
  const [version, setVersion] = useState(0);
  const [loaded, setLoaded] = useState(false);
  const [error, setError] = useState<string | null>(null);
  // The comment outbox's own message (kept offline, or refused on a resend): apart, so a list read does not clear it.
  const [outboxNote, setOutboxNote] = useState<string | null>(null);
  const notify = useRef(onNotification);
  notify.current = onNotification;

  const client = useMemo(
    () => new CommentsClient({ url: services.gatewayUrl, docId, token: () => services.api.accessToken() }),
    [services, docId],
  );

  // The comment outbox (null where IndexedDB is unavailable: comments are then sent without one).
  const outbox = useMemo(() => CommentOutbox.open().catch(() => null), []);
  useEffect(() => () => void outbox.then((o) => o?.close()), [outbox]);

  useEffect(() => {
    if (!doc) return;
    let disposed = false;
    const recent: { version: number; delta: Delta }[] = [];
    let current = new Map<string, CommentThreadDto>();
    let streamVersion = doc.version;

    /** `anchor` moved up to the stream, or null when the operations it needs are no longer kept. */
    const catchUp = (anchor: Anchor): Anchor | null => {
      if (anchor.version >= streamVersion) return anchor;
      const first = recent[0]?.version ?? streamVersion + 1;
      if (first > anchor.version + 1) return null;
      return transformAnchorThrough(anchor, recent);
    };
    const publish = (next: Map<string, CommentThreadDto>) => {
      current = next;
      if (disposed) return;
      setThreads(next);
      setVersion(streamVersion);
    };
    const put = (thread: CommentThreadDto) => {
      const anchor = catchUp(thread.anchor);
      if (!anchor) return void reload();
      publish(new Map(current).set(thread.id, { ...thread, anchor }));
    };
    const change = (id: string, update: (t: CommentThreadDto) => CommentThreadDto | null) => {
      const thread = current.get(id);
      if (!thread) return void reload(); // an event about a thread this list has not seen
      const next = new Map(current);
      const updated = update(thread);
      if (updated) next.set(id, updated);
      else next.delete(id);
      publish(next);
    };

    let loading = false;
    const reload = async (): Promise<void> => {
      if (loading) return;
      loading = true;
      try {
        const list = await client.list();
        if (disposed) return;
        const next = new Map<string, CommentThreadDto>();
        for (const thread of list.threads) {
          const anchor = catchUp(thread.anchor);
          // Older than the operations kept: take the server's anchor; the next commit shows a gap and reads again.
          next.set(thread.id, anchor ? { ...thread, anchor } : thread);
        }
        publish(next);
        setLoaded(true);
        setError(null);
      } catch (e) {
        if (!disposed) setError(`Comments could not be loaded: ${describeError(e)}`);
      } finally {
        loading = false;
      }
    };

    const offs: (() => void)[] = [];
    offs.push(
      doc.on('committed', (v, delta) => {
        recent.push({ version: v, delta });
        if (recent.length > RECENT_OPS) recent.shift();
        streamVersion = v;
        const anchors = new Map([...current].map(([id, t]) => [id, t.anchor]));
        const moved = advanceAnchors(anchors, v, delta);
        const next = new Map<string, CommentThreadDto>();
        for (const [id, thread] of current) next.set(id, { ...thread, anchor: moved.anchors.get(id)! });
        publish(next);
        if (moved.gap) void reload();
      }),
    );
    /** Sends again the comments kept in the outbox (of an earlier visit, or written while offline). */
    let flushing = false;
    const flush = async (): Promise<void> => {
      const store = await outbox;
      if (!store || flushing || disposed) return;
      flushing = true;
      try {
        const result = await flushPending(store, docId, async (entry) => {
          if (entry.kind === 'thread') put(await client.startThread(entry));
          else appendComment(entry.threadId, await client.reply(entry.threadId, entry));
        });
        if (disposed) return;
        const refused = result.refused[0];
        if (refused)
          setOutboxNote(`A comment kept on this device was refused: ${describeError(refused.error)}`);
        else if (result.left === 0 && result.sent.length > 0) setOutboxNote(null);
      } finally {
        flushing = false;
      }
    };
    const appendComment = (threadId: string, comment: CommentThreadDto['comments'][number]) =>
      change(threadId, (t) =>
        t.comments.some((c) => c.id === comment.id) ? t : { ...t, comments: [...t.comments, comment] },
      );

    offs.push(
      doc.on('status', (status) => {
        if (status !== 'connected') return;
        void reload();
        void flush();
      }),
    );

    // The SDK keeps these listeners for the document's life; the document closes with the page.
    client.attach(doc);
    offs.push(client.on('thread:created', ({ thread }) => put(thread)));
    offs.push(
      client.on('comment:created', ({ comment }) =>
        change(comment.threadId, (t) =>
          t.comments.some((c) => c.id === comment.id) ? t : { ...t, comments: [...t.comments, comment] },
        ),
      ),
    );
    offs.push(
      client.on('comment:edited', ({ comment }) =>
        change(comment.threadId, (t) => ({
          ...t,
          comments: t.comments.map((c) => (c.id === comment.id ? comment : c)),
        })),
      ),
    );
    offs.push(
      client.on('comment:deleted', ({ threadId, commentId, threadDeleted }) =>
        change(threadId, (t) =>
          threadDeleted ? null : { ...t, comments: t.comments.filter((c) => c.id !== commentId) },
        ),
      ),
    );
    offs.push(
      client.on('thread:resolved', ({ threadId, resolvedAt, resolvedBy }) =>
        change(threadId, (t) => ({ ...t, resolvedAt, resolvedBy })),
      ),
    );
    offs.push(
      client.on('thread:reopened', ({ threadId }) =>
        change(threadId, (t) => ({ ...t, resolvedAt: null, resolvedBy: null })),
      ),
    );
    offs.push(client.on('notification', (event) => notify.current(event)));
    void reload();
    void flush();
    // The answers of this client's own writes go through `put`/`change` too (see actions).
    applyRef.current = { put, change };

    return () => {
      disposed = true;
      applyRef.current = null;
      for (const off of offs) off();
    };
  }, [doc, client, docId, outbox]);

  const applyRef = useRef<{
    put: (thread: CommentThreadDto) => void;
    change: (id: string, update: (t: CommentThreadDto) => CommentThreadDto | null) => void;
  } | null>(null);

  /**
   * Writes `entry` to the outbox, then sends it: answered (stored, or refused
   * for good, which is thrown as before) it leaves the outbox; unanswered
   * it stays there for the next reconnect or visit, and null is returned.
   */
  const sendKept = useCallback(
    async <T>(entry: PendingComment, send: () => Promise<T>): Promise<T | null> => {
      const store = await outbox;
      if (!store) return send();
      await store.put(entry);
      try {
        const answer = await send();
        await store.remove(entry.commentId);
        return answer;
      } catch (e) {
        if (failureOutcome(e) === 'refused') {
          await store.remove(entry.commentId);
          throw e;
        }
        setOutboxNote(KEPT_OFFLINE);
        return null;
      }
    },
    [outbox],
  );

  const actions: CommentActions = useMemo(
    () => ({
      client,
      async start(anchor, body, mentions) {
        const entry: PendingComment = {
          kind: 'thread',
          docId,
          threadId: crypto.randomUUID(),
          commentId: crypto.randomUUID(),
          anchor,
          body,
          mentions,
          savedAt: Date.now(),
        };
        const thread = await sendKept(entry, () => client.startThread(entry));
        if (thread) applyRef.current?.put(thread);
        return thread;
      },
      async reply(threadId, body, mentions) {
        const entry: PendingComment = {
          kind: 'reply',
          docId,
          threadId,
          commentId: crypto.randomUUID(),
          body,
          mentions,
          savedAt: Date.now(),
        };
        const comment = await sendKept(entry, () => client.reply(threadId, entry));
        if (!comment) return;
        applyRef.current?.change(threadId, (t) =>
          t.comments.some((c) => c.id === comment.id) ? t : { ...t, comments: [...t.comments, comment] },
        );
      },
      async edit(threadId, commentId, body, mentions) {
        const comment = await client.edit(threadId, commentId, { body, mentions });
        applyRef.current?.change(threadId, (t) => ({
          ...t,
          comments: t.comments.map((c) => (c.id === comment.id ? comment : c)),
        }));
      },
      async remove(threadId, commentId) {
        await client.delete(threadId, commentId);
        applyRef.current?.change(threadId, (t) => {
          const comments = t.comments.filter((c) => c.id !== commentId);
          return comments.length > 0 ? { ...t, comments } : null;
        });
      },
      async resolve(threadId) {
        const thread = await client.resolve(threadId);
        applyRef.current?.change(threadId, (t) => ({
          ...t,
          resolvedAt: thread.resolvedAt,
          resolvedBy: thread.resolvedBy,
        }));
      },
      async reopen(threadId) {
        await client.reopen(threadId);
        applyRef.current?.change(threadId, (t) => ({ ...t, resolvedAt: null, resolvedBy: null }));
      },
    }),
    [client, docId, sendKept],
  );

  const list = useMemo(() => [...threads.values()], [threads]);
  return { threads: list, version, loaded, error: error ?? outboxNote, ...actions };
}
