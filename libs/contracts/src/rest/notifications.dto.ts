import { z } from 'zod';
import { DocId, IsoDateTime, pageSizeParam } from '../common/ids';
import { Collaborator, Title } from './documents.dto';
import { CommentId, ThreadId } from './comments.dto';

/** Why someone is notified. */
export const NotificationKind = {
  /** Someone mentioned this user in a comment. */
  Mention: 'mention',
} as const;

/** One of the values of {@link NotificationKind}. */
export type NotificationKind = (typeof NotificationKind)[keyof typeof NotificationKind];

/** Runtime schema of a {@link NotificationKind}. */
export const NotificationKindSchema = z.enum(NotificationKind);

/** Longest excerpt of a comment a notification carries. */
export const NOTIFICATION_EXCERPT_LENGTH = 200;

/**
 * One entry of a user's inbox: who did what where. `docId` and `threadId`
 * make the link that opens the document at the thread.
 */
export const NotificationDto = z.object({
  id: z.uuid(),
  kind: NotificationKindSchema,
  docId: DocId,
  documentTitle: Title,
  threadId: ThreadId,
  commentId: CommentId,
  actor: Collaborator,
  excerpt: z.string().max(NOTIFICATION_EXCERPT_LENGTH + 1),
  createdAt: IsoDateTime,
  readAt: IsoDateTime.nullable(),
});
/** See {@link NotificationDto}. */
export type NotificationDto = z.infer<typeof NotificationDto>;

/** Entries in one page of the inbox when the query names no limit. */
export const DEFAULT_NOTIFICATION_PAGE = 50;
/** Most entries one page of the inbox may ask for. */
export const MAX_NOTIFICATION_PAGE = 200;

/**
 * `GET /api/notifications?limit=&unread=true`: the newest first, only
 * unread ones with `unread=true`. Query values arrive as strings.
 */
export const NotificationListQuery = z.strictObject({
  limit: pageSizeParam(MAX_NOTIFICATION_PAGE).optional(),
  unread: z.enum(['true', 'false']).optional(),
});
/** See {@link NotificationListQuery}. */
export type NotificationListQuery = z.infer<typeof NotificationListQuery>;

/** A page of the inbox and the unread count. */
export const NotificationList = z.object({
  notifications: z.array(NotificationDto),
  unreadCount: z.int().nonnegative(),
});
/** See {@link NotificationList}. */
export type NotificationList = z.infer<typeof NotificationList>;

/** `GET /api/notifications/unread-count`, and the answer to marking read. */
export const UnreadCount = z.object({ unreadCount: z.int().nonnegative() });
/** See {@link UnreadCount}. */
export type UnreadCount = z.infer<typeof UnreadCount>;

/**
 * `POST /api/notifications/read`: mark these of the caller's notifications
 * read (`{ids}`; ids that are not the caller's are ignored), or all of them
 * (`{all: true}`). Answers {@link UnreadCount}.
 */
export const MarkNotificationsRead = z.union([
  z.strictObject({ ids: z.array(z.uuid()).min(1).max(MAX_NOTIFICATION_PAGE) }),
  z.strictObject({ all: z.literal(true) }),
]);
/** See {@link MarkNotificationsRead}. */
export type MarkNotificationsRead = z.infer<typeof MarkNotificationsRead>;
