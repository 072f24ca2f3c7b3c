import { type CollabDocument, CommentsClient } from '@collab/client';
import type { Anchor, AnchorRequest, CommentThreadDto, NotificationEvent } from '@collab/contracts';
import { transformAnchorThrough } from '@collab/ot';
import type Delta from 'quill-delta';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { AppServices } from '../app-context';
import { describeError } from '../errors/messages';
import { advanceAnchors } from './comment-anchors';
import { CommentOutbox, type FlushResult, flushPending } from './comment-outbox';
import { keptNotice, refusedNotice, sendChange, type ThreadsApply } from './comment-sender';
import { followThreadEvents } from './live-thread-events';
import type { PendingChange, StoredChange } from './pending-changes';
import { type ThreadView, withPending } from './pending-view';
import { deviceCopy, OFFLINE_COPY_NOTE, ThreadCache } from './thread-cache';

/** How many of the latest committed operations are kept to move anchors that arrive behind the stream. */
const RECENT_OPS = 1000;
/**
 * Threads read first on opening: those first in the text, beside the top of
 * the page, shown while the whole list follows (a discussion of hundreds of
 * threads would otherwise hold the panel back by its bytes: bench/README).
 */
const FIRST_PAGE = 50;

export interface CommentsState {
  /** Open and resolved threads, oldest first, with the changes still kept on this device; anchors at `version`. */
  readonly threads: readonly ThreadView[];
  /** The server version the anchors hold at (the client's committed stream). */
  readonly version: number;
  readonly loaded: boolean;
  readonly error: string | null;
  /** Not a failure: where the threads come from while the server is out of reach (OFFLINE_COPY_NOTE). */
  readonly notice: string | null;
}

export interface CommentActions {
  readonly client: CommentsClient;
  /**
   * Starts thread `threadId` (made by the caller, so it can tell the thread once it is listed);
   * true once the server has it, false when it is kept in the outbox until the server can be reached.
   */
  start(
    threadId: string,
    anchor: AnchorRequest,
    quote: string,
    body: string,
    mentions: string[],
  ): Promise<boolean>;
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
  const [offlineCopy, setOfflineCopy] = useState(false);
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
  // The last threads listed, for a visit without a network (null without IndexedDB).
  const cache = useMemo(() => ThreadCache.open().catch(() => null), []);
  useEffect(() => () => void cache.then((c) => c?.close()), [cache]);
  const me = services.session.session?.me;
  const userId = me?.id;

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
    // What of the server's list arrived in this effect (until any did, this device's copy may be shown).
    let fromServer: 'none' | 'first page' | 'all' = 'none';
    let fromCache = false;
    const copy = deviceCopy(cache, userId, docId);
    const publish = (next: Map<string, CommentThreadDto>) => {
      current = next;
      if (fromServer === 'all') copy.save(streamVersion, [...next.values()]);
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

    /** Reads the list (or its first page) and shows it; whether it was the whole list. */
    const show = async (limit?: number): Promise<boolean> => {
      const list = await client.list({ limit });
      if (disposed) return true;
      const next = new Map<string, CommentThreadDto>();
      for (const thread of list.threads) {
        const anchor = catchUp(thread.anchor);
        // Older than the operations kept: take the server's anchor; the next commit shows a gap and reads again.
        next.set(thread.id, anchor ? { ...thread, anchor } : thread);
      }
      fromServer = list.complete ? 'all' : 'first page';
      fromCache = false;
      publish(next);
      setLoaded(true);
      setError(null);
      setOfflineCopy(false);
      return list.complete;
    };
    let loading = false;
    let again = false;
    /** Reads the list: on opening, the threads first in the text, then all of them. */
    const reload = async (): Promise<void> => {
      // One read at a time. One asked for meanwhile follows it: the read under way may predate what asked.
      if (loading) return void (again = true);
      loading = true;
      try {
        const whole = fromServer === 'none' && (await show(FIRST_PAGE));
        if (!whole && !disposed) await show();
      } catch (e) {
        // Showing this device's copy, its note says enough.
        if (!disposed && !fromCache) setError(`Comments could not be loaded: ${describeError(e)}`);
      } finally {
        loading = false;
        if (again && !disposed) {
          again = false;
          void reload();
        }
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
    /** Sends the changes kept in the outbox (of an earlier visit, or made while offline); tells of refusals. */
    const flushKept = async () => {
      const result = await flushRef.current();
      if (!result || disposed) return;
      const refused = result.refused[0];
      if (refused) setOutboxNote(refusedNotice(refused.entry, describeError(refused.error)));
      else if (result.left > 0) setOutboxNote(keptNotice(null));
    };
    offs.push(
      doc.on('status', (status) => {
        if (status !== 'connected') return;
        void reload();
        void flushKept();
      }),
    );

    // The SDK keeps these listeners for the document's life; the document closes with the page.
    client.attach(doc);
    offs.push(...followThreadEvents(client, { put, change }));
    offs.push(client.on('notification', (event) => notify.current(event)));
    // The answers of this client's own writes go through `put`/`change` too (see sendChange).
    applyRef.current = { put, change };
    /** This device's copy, while the server's list has not come: only at the replica's very version. */
    const restore = async () => {
      const kept = await copy.read();
      if (disposed || fromServer !== 'none' || !kept || kept.version !== streamVersion) return;
      fromCache = true;
      publish(new Map(kept.threads.map((t) => [t.id, t])));
      setLoaded(true);
      setError(null);
      setOfflineCopy(true);
    };
    void restore();
    // A read begun before the join could miss what was said between its snapshot and the join (events
    // reach joined sockets only): while connecting, the first read waits for `connected`. Offline, it
    // is tried now, to tell why nothing shows.
    if (doc.status === 'connected' || doc.status === 'offline') void reload();
    void flushKept();

    return () => {
      disposed = true;
      copy.flush();
      applyRef.current = null;
      for (const off of offs) off();
    };
  }, [doc, client, docId, outbox, cache, userId]);

  const applyRef = useRef<ThreadsApply | null>(null);
  const [pending, setPending] = useState<readonly StoredChange[]>([]);
  const refreshPending = useCallback(async () => {
    const store = await outbox;
    if (store) setPending(await store.entries(docId));
  }, [outbox, docId]);

  /**
   * Sends the kept changes of this document, one run after another (a run
   * started while one is going waits for it, so no change overtakes an
   * earlier one). Answers what the run did; null without IndexedDB.
   */
  const chain = useRef<Promise<unknown>>(Promise.resolve());
  const flush = useCallback((): Promise<FlushResult | null> => {
    const run = async (): Promise<FlushResult | null> => {
      const store = await outbox;
      if (!store) return null;
      // One flush at a time per document across this browser's tabs (they share the outbox): a tab that
      // read the outbox before another recorded a newer change must not send the older one after it.
      const send = () => flushPending(store, docId, (entry) => sendChange(client, applyRef.current, entry));
      const result = await ('locks' in navigator
        ? navigator.locks.request(`collab-comment-outbox:${docId}`, send)
        : send());
      await refreshPending();
      if (result.left === 0 && result.sent.length > 0) setOutboxNote(null);
      return result;
    };
    const next = chain.current.then(run, run);
    chain.current = next.catch(() => undefined);
    return next;
  }, [outbox, docId, client, refreshPending]);
  const flushRef = useRef(flush);
  flushRef.current = flush;
  useEffect(() => void refreshPending(), [refreshPending]);

  /**
   * Records `change` in the outbox (shown at once, marked as waiting), then
   * sends what is kept, in order, when connected. Answers true once the
   * server has it (or nothing needed sending), false while it waits on this
   * device; a final refusal of it is thrown, as a direct call's would be.
   * Without IndexedDB the change is sent directly.
   */
  const keep = useCallback(
    async (change: PendingChange): Promise<boolean> => {
      const store = await outbox;
      if (!store) {
        await sendChange(client, applyRef.current, { ...change, seq: 0 });
        return true;
      }
      const carrier = await store.record(change);
      await refreshPending();
      if (carrier === null) return true;
      const result = doc && doc.status !== 'connected' ? null : await flush();
      const refusal = result?.refused.find((r) => r.entry.seq === carrier);
      const other = result?.refused.find((r) => r.entry.seq !== carrier);
      if (other) setOutboxNote(refusedNotice(other.entry, describeError(other.error)));
      if (refusal) throw refusal.error;
      // Neither sent nor refused by this run with nothing left: an earlier run (a reconnect's) took it.
      if (result && (result.left === 0 || result.sent.some((e) => e.seq === carrier))) return true;
      setOutboxNote(keptNotice(change));
      return false;
    },
    [outbox, client, doc, flush, refreshPending],
  );

  const actions: CommentActions = useMemo(() => {
    const base = { docId, savedAt: 0 };
    const now = () => ({ ...base, savedAt: Date.now() });
    return {
      client,
      async start(threadId, anchor, quote, body, mentions) {
        const change = {
          ...now(),
          kind: 'thread',
          threadId,
          commentId: crypto.randomUUID(),
          anchor,
          quote,
          body,
          mentions,
        } as const;
        return keep(change);
      },
      async reply(threadId, body, mentions) {
        await keep({ ...now(), kind: 'reply', threadId, commentId: crypto.randomUUID(), body, mentions });
      },
      async edit(threadId, commentId, body, mentions) {
        await keep({ ...now(), kind: 'edit', threadId, commentId, body, mentions });
      },
      async remove(threadId, commentId) {
        await keep({ ...now(), kind: 'delete', threadId, commentId });
      },
      async resolve(threadId) {
        await keep({ ...now(), kind: 'resolve', threadId });
      },
      async reopen(threadId) {
        await keep({ ...now(), kind: 'reopen', threadId });
      },
    };
  }, [client, docId, keep]);

  const author = useMemo(
    () => (me ? { userId: me.id, name: me.name, color: me.color } : null),
    [me?.id, me?.name, me?.color],
  );
  const list = useMemo(() => withPending([...threads.values()], pending, author), [threads, pending, author]);
  const notice = offlineCopy ? OFFLINE_COPY_NOTE : null;
  return { threads: list, version, loaded, error: error ?? outboxNote, notice, ...actions };
}
