import type { CommentsClient } from '@collab/client';
import type { ThreadsApply } from './comment-sender';

/**
 * Applies the SDK's live comment events of an open document to the list
 * shown, through `apply`: the same path as the answers to this client's own
 * writes (comment-sender), so an event that repeats one of them changes
 * nothing. An event about a thread the list lacks makes `apply.change`
 * read the list again. Answers the unsubscribers.
 */
export function followThreadEvents(client: CommentsClient, apply: ThreadsApply): (() => void)[] {
  const { put, change } = apply;
  return [
    client.on('thread:created', ({ thread }) => put(thread)),
    client.on('comment:created', ({ comment }) =>
      change(comment.threadId, (t) =>
        t.comments.some((c) => c.id === comment.id) ? t : { ...t, comments: [...t.comments, comment] },
      ),
    ),
    client.on('comment:edited', ({ comment }) =>
      change(comment.threadId, (t) => ({
        ...t,
        comments: t.comments.map((c) => (c.id === comment.id ? comment : c)),
      })),
    ),
    client.on('comment:deleted', ({ threadId, commentId, threadDeleted }) =>
      change(threadId, (t) =>
        threadDeleted ? null : { ...t, comments: t.comments.filter((c) => c.id !== commentId) },
      ),
    ),
    client.on('thread:resolved', ({ threadId, resolvedAt, resolvedBy }) =>
      change(threadId, (t) => ({ ...t, resolvedAt, resolvedBy })),
    ),
    client.on('thread:reopened', ({ threadId }) =>
      change(threadId, (t) => ({ ...t, resolvedAt: null, resolvedBy: null })),
    ),
  ];
}
