import {
  type Collaborator,
  type CommentDto,
  type CommentThreadDto,
  NOTIFICATION_EXCERPT_LENGTH,
  type NotificationDto,
} from '@collab/contracts';
import type { CommentAnchor } from '@collab/ot';
import {
  type StoredComment,
  type StoredNotification,
  type StoredThread,
  userBadges,
} from '@collab/persistence';
import type { EntityManager } from 'typeorm';

/** The people a list of threads names, by id. */
export type People = ReadonlyMap<string, Collaborator>;

/** Name and colour of each user in `ids`, in one query. */
export async function peopleById(manager: EntityManager, ids: Iterable<string>): Promise<People> {
  const badges = await userBadges(manager, [...ids]);
  return new Map(badges.map((badge) => [badge.userId, { ...badge }]));
}

/** The user ids a thread and its comments name. */
export function idsNamedBy(thread: StoredThread, comments: readonly StoredComment[]): string[] {
  const ids = [thread.createdBy, ...comments.map((c) => c.authorId)];
  if (thread.resolvedBy) ids.push(thread.resolvedBy);
  return ids;
}

function person(people: People, id: string): Collaborator {
  // Users are never deleted while their comments exist (the foreign keys cascade).
  return people.get(id) ?? { userId: id, name: 'Unknown', color: '#888888' };
}

export function toCommentDto(comment: StoredComment, people: People): CommentDto {
  return {
    id: comment.id,
    threadId: comment.threadId,
    author: person(people, comment.authorId),
    body: comment.body,
    mentions: [...comment.mentions],
    createdAt: comment.createdAt.toISOString(),
    editedAt: comment.editedAt?.toISOString() ?? null,
  };
}

export function toThreadDto(
  thread: StoredThread,
  anchor: CommentAnchor,
  comments: readonly StoredComment[],
  people: People,
): CommentThreadDto {
  return {
    id: thread.id,
    docId: thread.documentId,
    anchor: { ...anchor },
    quotedText: thread.quotedText,
    createdBy: person(people, thread.createdBy),
    createdAt: thread.createdAt.toISOString(),
    resolvedAt: thread.resolvedAt?.toISOString() ?? null,
    resolvedBy: thread.resolvedBy ? person(people, thread.resolvedBy) : null,
    comments: comments.map((c) => toCommentDto(c, people)),
  };
}

/** The start of a comment for an inbox line, never ending on half a surrogate pair. */
function excerptOf(body: string): string {
  if (body.length <= NOTIFICATION_EXCERPT_LENGTH) return body;
  let cut = NOTIFICATION_EXCERPT_LENGTH;
  const last = body.charCodeAt(cut - 1);
  if (last >= 0xd800 && last <= 0xdbff) cut -= 1;
  return `${body.slice(0, cut)}…`;
}

export function toNotificationDto(notification: StoredNotification): NotificationDto {
  return {
    id: notification.id,
    kind: notification.kind,
    docId: notification.documentId,
    documentTitle: notification.documentTitle,
    threadId: notification.threadId,
    commentId: notification.commentId,
    actor: notification.actor,
    excerpt: excerptOf(notification.body),
    createdAt: notification.createdAt.toISOString(),
    readAt: notification.readAt?.toISOString() ?? null,
  };
}

/** Length of a document given as a Delta ops array (an embed counts 1). */
export function documentLength(ops: readonly { insert?: unknown }[]): number {
  return ops.reduce((sum, op) => sum + (typeof op.insert === 'string' ? op.insert.length : 1), 0);
}
