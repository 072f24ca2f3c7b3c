import type { Collaborator, CommentDto, CommentThreadDto } from '@collab/contracts';
import type { StoredChange } from './pending-changes';

/** A comment as shown: `pending` while a change of it waits in the outbox. */
export type CommentView = CommentDto & { readonly pending?: boolean };

/**
 * A thread as shown: `pending` while resolving or reopening it waits in the
 * outbox; `unsent` while the thread itself does (its anchor is the one it
 * was made with, at the version it names).
 */
export type ThreadView = Omit<CommentThreadDto, 'comments'> & {
  readonly comments: CommentView[];
  readonly pending?: boolean;
  readonly unsent?: boolean;
};

const at = (ms: number) => new Date(ms).toISOString();

/** The comment a pending new thread or reply will store, by `me`, marked pending. */
function pendingComment(
  change: {
    readonly threadId: string;
    readonly commentId: string;
    readonly body: string;
    readonly mentions: readonly string[];
    readonly savedAt: number;
  },
  me: Collaborator,
): CommentView {
  return {
    id: change.commentId,
    threadId: change.threadId,
    author: me,
    body: change.body,
    mentions: [...change.mentions],
    createdAt: at(change.savedAt),
    editedAt: null,
    pending: true,
  };
}

/**
 * The threads as the person will see them once the server has the pending
 * changes: each applied, in order, on the server's threads, the changed
 * comment or thread marked `pending`, a thread not stored yet added as
 * `unsent`. A change whose thread or comment is not in the list (one
 * deleted meanwhile) shows nothing; it is sent all the same. `me` is the
 * author of the pending threads and replies (null: they are not shown).
 */
export function withPending(
  threads: readonly CommentThreadDto[],
  pending: readonly StoredChange[],
  me: Collaborator | null,
): ThreadView[] {
  const view = new Map<string, ThreadView>(threads.map((t) => [t.id, t]));
  const changeThread = (id: string, update: (t: ThreadView) => ThreadView | null) => {
    const thread = view.get(id);
    if (!thread) return;
    const next = update(thread);
    if (next) view.set(id, next);
    else view.delete(id);
  };
  const changeComment = (threadId: string, commentId: string, update: (c: CommentView) => CommentView) =>
    changeThread(threadId, (t) => ({
      ...t,
      comments: t.comments.map((c) => (c.id === commentId ? update(c) : c)),
    }));

  for (const change of pending) {
    switch (change.kind) {
      case 'thread':
        if (!me || view.has(change.threadId)) break;
        view.set(change.threadId, {
          id: change.threadId,
          docId: change.docId,
          anchor: { ...change.anchor, detached: false },
          quotedText: change.quote ?? '',
          createdBy: me,
          createdAt: at(change.savedAt),
          resolvedAt: null,
          resolvedBy: null,
          comments: [pendingComment(change, me)],
          unsent: true,
        });
        break;
      case 'reply':
        if (!me) break;
        changeThread(change.threadId, (t) =>
          t.comments.some((c) => c.id === change.commentId)
            ? t
            : {
                ...t,
                comments: [...t.comments, pendingComment(change, me)],
              },
        );
        break;
      case 'edit':
        changeComment(change.threadId, change.commentId, (c) => ({
          ...c,
          body: change.body,
          mentions: [...change.mentions],
          editedAt: at(change.savedAt),
          pending: true,
        }));
        break;
      case 'delete':
        changeThread(change.threadId, (t) => {
          const comments = t.comments.filter((c) => c.id !== change.commentId);
          return comments.length > 0 ? { ...t, comments } : null;
        });
        break;
      case 'resolve':
        changeThread(change.threadId, (t) => ({
          ...t,
          resolvedAt: t.resolvedAt ?? at(change.savedAt),
          resolvedBy: t.resolvedBy ?? me,
          pending: true,
        }));
        break;
      case 'reopen':
        changeThread(change.threadId, (t) => ({ ...t, resolvedAt: null, resolvedBy: null, pending: true }));
        break;
    }
  }
  return [...view.values()];
}
