import type { AnchorRequest } from '@collab/contracts';

interface Base {
  readonly docId: string;
  readonly threadId: string;
  /** When the person made the change (ms); shown as the time of a pending comment or edit. */
  readonly savedAt: number;
}

interface Text {
  /** Made by the client before the first send; every resend carries it, so the server stores it once. */
  readonly commentId: string;
  readonly body: string;
  readonly mentions: readonly string[];
}

/**
 * A change to the comments of a document that the server has not answered
 * yet: a new thread or reply (with the ids the client made), an edit or a
 * deletion of one's own comment, resolving or reopening a thread.
 */
export type PendingChange =
  | (Base &
      Text & {
        readonly kind: 'thread';
        readonly anchor: AnchorRequest;
        /** The selected text, shown while the thread waits (absent in entries kept by version 1). */
        readonly quote?: string;
      })
  | (Base & Text & { readonly kind: 'reply' })
  | (Base & Text & { readonly kind: 'edit' })
  | (Base & { readonly kind: 'delete'; readonly commentId: string })
  | (Base & { readonly kind: 'resolve' | 'reopen' });

/** A change as the outbox keeps it: `seq` orders the changes as the person made them. */
export type StoredChange = PendingChange & { readonly seq: number };

/** A creation: the changes that make a comment (a thread's first one, or a reply). */
type PendingCreation = Extract<StoredChange, { kind: 'thread' | 'reply' }>;

/**
 * How recording one change rewrites the pending ones of its document.
 * `carrier` is what will send the change: `'added'` (the change itself, new
 * at the end), the `seq` of a kept entry it was folded into, or null when
 * nothing needs sending any more (it cancelled out against a pending one).
 */
export interface RecordPlan {
  readonly remove: readonly number[];
  readonly replace: readonly StoredChange[];
  readonly add: PendingChange | null;
  readonly carrier: 'added' | number | null;
}

const creationOf = (pending: readonly StoredChange[], commentId: string): PendingCreation | undefined =>
  pending.find(
    (p): p is PendingCreation => (p.kind === 'thread' || p.kind === 'reply') && p.commentId === commentId,
  );

const seqs = (pending: readonly StoredChange[], match: (p: StoredChange) => boolean): number[] =>
  pending.filter(match).map((p) => p.seq);

const editOf = (commentId: string) => (p: StoredChange) => p.kind === 'edit' && p.commentId === commentId;

/**
 * Records `change` after the `pending` changes of its document (oldest
 * first), collapsing where the result on the server is the same:
 *
 * - an edit of a comment whose creation is pending rewrites the creation
 *   (the server never sees the first text); an edit replaces an earlier
 *   pending edit of the same comment (the last text wins);
 * - a deletion of a comment whose creation is pending removes the creation
 *   and every pending change of that comment, and is not sent; for a
 *   thread's first comment, only while no pending reply keeps the thread
 *   alive (the thread then goes with every pending change of it);
 * - resolving or reopening replaces an earlier pending resolve or reopen
 *   of the same thread (the last wish wins).
 *
 * Everything else is appended, so the changes go in the order they were
 * made: a reply before its edit and its deletion, a thread before anything
 * done to it.
 */
export function planRecord(pending: readonly StoredChange[], change: PendingChange): RecordPlan {
  switch (change.kind) {
    case 'thread':
    case 'reply':
      return { remove: [], replace: [], add: change, carrier: 'added' };
    case 'edit': {
      const creation = creationOf(pending, change.commentId);
      if (creation) {
        const rewritten = { ...creation, body: change.body, mentions: change.mentions };
        return { remove: [], replace: [rewritten], add: null, carrier: creation.seq };
      }
      return { remove: seqs(pending, editOf(change.commentId)), replace: [], add: change, carrier: 'added' };
    }
    case 'delete': {
      const again = pending.find((p) => p.kind === 'delete' && p.commentId === change.commentId);
      if (again) return { remove: [], replace: [], add: null, carrier: again.seq };
      const creation = creationOf(pending, change.commentId);
      if (creation?.kind === 'reply') {
        const ofComment = (p: StoredChange) => 'commentId' in p && p.commentId === change.commentId;
        return { remove: seqs(pending, ofComment), replace: [], add: null, carrier: null };
      }
      if (creation?.kind === 'thread') {
        const kept = pending.some((p) => p.kind === 'reply' && p.threadId === creation.threadId);
        if (!kept) {
          const ofThread = (p: StoredChange) => p.threadId === creation.threadId;
          return { remove: seqs(pending, ofThread), replace: [], add: null, carrier: null };
        }
      }
      return { remove: seqs(pending, editOf(change.commentId)), replace: [], add: change, carrier: 'added' };
    }
    case 'resolve':
    case 'reopen': {
      const earlier = (p: StoredChange) =>
        (p.kind === 'resolve' || p.kind === 'reopen') && p.threadId === change.threadId;
      return { remove: seqs(pending, earlier), replace: [], add: change, carrier: 'added' };
    }
  }
}

/**
 * The changes that cannot go any more once `refused` was refused for good:
 * a refused thread takes every later change of it, a refused reply every
 * later change of that comment (the server would refuse each of them too).
 */
export function dependsOnRefused(refused: StoredChange, later: StoredChange): boolean {
  if (refused.kind === 'thread') return later.threadId === refused.threadId;
  if (refused.kind === 'reply') return 'commentId' in later && later.commentId === refused.commentId;
  return false;
}

/**
 * What is left to send of `sent` once the server stored it, given the entry
 * now kept under its `seq` (`now`; undefined when it is gone). A change made
 * while `sent` was on its way may have collapsed into it: an edit rewrote a
 * creation the server stored with the old text (the new text still has to go:
 * an edit), or a deletion removed a creation the server stored all the same
 * (the comment has to go: a deletion). Either keeps `sent`'s place, so the
 * order of the person's changes holds; null when nothing is left.
 */
export function leftAfterSent(sent: StoredChange, now: StoredChange | undefined): StoredChange | null {
  if (sent.kind !== 'thread' && sent.kind !== 'reply') return null;
  const { seq, docId, threadId, commentId } = sent;
  if (!now) return { seq, docId, threadId, commentId, kind: 'delete', savedAt: sent.savedAt };
  if (now.kind !== sent.kind) return null;
  const same = now.body === sent.body && now.mentions.join('\n') === sent.mentions.join('\n');
  if (same) return null;
  return {
    seq,
    docId,
    threadId,
    commentId,
    kind: 'edit',
    body: now.body,
    mentions: now.mentions,
    savedAt: now.savedAt,
  };
}
