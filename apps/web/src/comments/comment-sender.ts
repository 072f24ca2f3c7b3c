import type { CommentsClient } from '@collab/client';
import type { CommentDto, CommentThreadDto } from '@collab/contracts';
import { failureOutcome } from './comment-outbox';
import type { PendingChange, StoredChange } from './pending-changes';

/** How an answer of the server reaches the list shown (see useComments). */
export interface ThreadsApply {
  put(thread: CommentThreadDto): void;
  change(id: string, update: (t: CommentThreadDto) => CommentThreadDto | null): void;
}

const withComment = (t: CommentThreadDto, comment: CommentDto): CommentThreadDto =>
  t.comments.some((c) => c.id === comment.id)
    ? { ...t, comments: t.comments.map((c) => (c.id === comment.id ? comment : c)) }
    : { ...t, comments: [...t.comments, comment] };

/**
 * Sends one pending change with its own ids and applies the server's answer
 * to the list (`apply` is null while no document is open: the next list
 * read shows it). A deletion the server finds already done counts as sent.
 */
export async function sendChange(
  client: CommentsClient,
  apply: ThreadsApply | null,
  entry: StoredChange,
): Promise<void> {
  switch (entry.kind) {
    case 'thread':
      apply?.put(await client.startThread(entry));
      return;
    case 'reply':
    case 'edit': {
      const comment =
        entry.kind === 'reply'
          ? await client.reply(entry.threadId, entry)
          : await client.edit(entry.threadId, entry.commentId, entry);
      apply?.change(entry.threadId, (t) => withComment(t, comment));
      return;
    }
    case 'delete':
      try {
        await client.delete(entry.threadId, entry.commentId);
      } catch (error) {
        if (failureOutcome(entry, error) !== 'done') throw error;
      }
      apply?.change(entry.threadId, (t) => {
        const comments = t.comments.filter((c) => c.id !== entry.commentId);
        return comments.length > 0 ? { ...t, comments } : null;
      });
      return;
    case 'resolve':
    case 'reopen': {
      const thread = await (entry.kind === 'resolve'
        ? client.resolve(entry.threadId)
        : client.reopen(entry.threadId));
      apply?.change(entry.threadId, (t) => ({
        ...t,
        resolvedAt: thread.resolvedAt,
        resolvedBy: thread.resolvedBy,
      }));
      return;
    }
  }
}

const WHAT: Record<PendingChange['kind'], string> = {
  thread: 'Your comment',
  reply: 'Your reply',
  edit: 'Your edit of a comment',
  delete: 'Deleting your comment',
  resolve: 'Resolving a thread',
  reopen: 'Reopening a thread',
};

/** The notice for a change kept on this device and then refused for good, in words. */
export function refusedNotice(change: PendingChange, reason: string): string {
  return `${WHAT[change.kind]}, kept on this device, was refused and dropped: ${reason}`;
}

/** The notice while `change` (null: the changes of an earlier visit) waits on this device. */
export function keptNotice(change: PendingChange | null): string {
  const what =
    change === null
      ? 'your comment changes are'
      : change.kind === 'thread' || change.kind === 'reply'
        ? 'your comment is'
        : 'your change is';
  return `You are offline: ${what} kept on this device and will be sent when the connection is back.`;
}
