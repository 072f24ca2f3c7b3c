import { z } from 'zod';
import { DocId, IsoDateTime } from '../common/ids';
import { CommentDto, CommentId, CommentThreadDto, ThreadId } from '../rest/comments.dto';
import { Collaborator } from '../rest/documents.dto';
import { NotificationDto } from '../rest/notifications.dto';

/**
 * Names of the live comment events. The gateway that commits a change emits
 * it to the document's room (every member with the document open, on any
 * gateway through the Redis adapter) after the change is durable; a
 * notification goes to the mentioned user's room. An event is a hint to
 * update a list the client read over REST: a client that missed some (it was
 * offline) reads the list again when it rejoins.
 */
export const CommentEvent = {
  /** A thread was started: {@link ThreadCreated}. */
  ThreadCreated: 'thread:created',
  /** A reply: {@link CommentChanged}. */
  CommentCreated: 'comment:created',
  /** An author changed their comment: {@link CommentChanged}. */
  CommentEdited: 'comment:edited',
  /** An author deleted their comment: {@link CommentDeleted}. */
  CommentDeleted: 'comment:deleted',
  /** A thread was resolved: {@link ThreadResolved}. */
  ThreadResolved: 'thread:resolved',
  /** A resolved thread was reopened: {@link ThreadReopened}. */
  ThreadReopened: 'thread:reopened',
  /** A new entry in this user's inbox: {@link NotificationEvent}. */
  Notification: 'notification',
} as const;

/** One of the values of {@link CommentEvent}. */
export type CommentEvent = (typeof CommentEvent)[keyof typeof CommentEvent];

/** `thread:created`: the new thread with its first comment, its anchor at the version it was made on. */
export const ThreadCreated = z.object({ docId: DocId, thread: CommentThreadDto });
/** See {@link ThreadCreated}. */
export type ThreadCreated = z.infer<typeof ThreadCreated>;

/** `comment:created` and `comment:edited`: the comment as it is now. */
export const CommentChanged = z.object({ docId: DocId, comment: CommentDto });
/** See {@link CommentChanged}. */
export type CommentChanged = z.infer<typeof CommentChanged>;

/** Which thread an event is about: the part every thread event shares. */
const ThreadRef = z.object({ docId: DocId, threadId: ThreadId });

/** `comment:deleted`; `threadDeleted` when it was the thread's last comment (the thread is gone from the list). */
export const CommentDeleted = ThreadRef.extend({
  commentId: CommentId,
  threadDeleted: z.boolean(),
});
/** See {@link CommentDeleted}. */
export type CommentDeleted = z.infer<typeof CommentDeleted>;

/** `thread:resolved`: by whom and when. */
export const ThreadResolved = ThreadRef.extend({
  resolvedAt: IsoDateTime,
  resolvedBy: Collaborator,
});
/** See {@link ThreadResolved}. */
export type ThreadResolved = z.infer<typeof ThreadResolved>;

/** `thread:reopened`. */
export const ThreadReopened = ThreadRef;
/** See {@link ThreadReopened}. */
export type ThreadReopened = z.infer<typeof ThreadReopened>;

/** `notification`: the new entry and the user's unread count with it. */
export const NotificationEvent = z.object({
  notification: NotificationDto,
  unreadCount: z.int().nonnegative(),
});
/** See {@link NotificationEvent}. */
export type NotificationEvent = z.infer<typeof NotificationEvent>;
