import type { EntityManager } from 'typeorm';
import { rowsReturned } from '../sql';

/** A notification as the inbox shows it: with the document's title, the actor and the comment's text. */
export interface StoredNotification {
  readonly id: string;
  readonly userId: string;
  readonly kind: 'mention';
  readonly documentId: string;
  readonly documentTitle: string;
  readonly threadId: string;
  readonly commentId: string;
  readonly actor: { readonly userId: string; readonly name: string; readonly color: string };
  readonly body: string;
  readonly createdAt: Date;
  readonly readAt: Date | null;
}

interface NotificationRow {
  id: string;
  user_id: string;
  kind: 'mention';
  document_id: string;
  title: string;
  thread_id: string;
  comment_id: string;
  actor_id: string;
  actor_name: string;
  actor_color: string;
  body: string;
  created_at: Date;
  read_at: Date | null;
}

/**
 * What a reader may see: the document is not deleted, the reader is still a
 * member, and the comment is not deleted. Older entries stay in the table
 * and come back if access does.
 */
const VISIBLE_FROM = `notifications n
  JOIN documents d ON d.id = n.document_id AND d.deleted_at IS NULL
  JOIN document_members dm ON dm.document_id = n.document_id AND dm.user_id = n.user_id
  JOIN comments c ON c.id = n.comment_id AND c.deleted_at IS NULL
  JOIN users a ON a.id = n.actor_id`;

const NOTIFICATION_COLUMNS = `n.id, n.user_id, n.kind, n.document_id, d.title, n.thread_id, n.comment_id,
  n.actor_id, a.name AS actor_name, a.color AS actor_color, c.body, n.created_at, n.read_at`;

function toStoredNotification(row: NotificationRow): StoredNotification {
  return {
    id: row.id,
    userId: row.user_id,
    kind: row.kind,
    documentId: row.document_id,
    documentTitle: row.title,
    threadId: row.thread_id,
    commentId: row.comment_id,
    actor: { userId: row.actor_id, name: row.actor_name, color: row.actor_color },
    body: row.body,
    createdAt: row.created_at,
    readAt: row.read_at,
  };
}

/**
 * Notifies each of `userIds` that `actorId` mentioned them in a comment.
 * At most once per (user, comment): a resend or an edit never notifies twice.
 * Answers the ids of the notifications this call made, by user.
 */
export async function insertMentionNotifications(
  manager: EntityManager,
  mention: {
    readonly documentId: string;
    readonly threadId: string;
    readonly commentId: string;
    readonly actorId: string;
    readonly userIds: readonly string[];
  },
): Promise<Map<string, string>> {
  if (mention.userIds.length === 0) return new Map();
  const rows: { id: string; user_id: string }[] = await manager.query(
    `INSERT INTO notifications (user_id, kind, document_id, thread_id, comment_id, actor_id)
     SELECT u, 'mention', $2, $3, $4, $5 FROM unnest($1::uuid[]) AS u
     ON CONFLICT (user_id, comment_id, kind) DO NOTHING
     RETURNING id, user_id`,
    [mention.userIds, mention.documentId, mention.threadId, mention.commentId, mention.actorId],
  );
  return new Map(rows.map((row) => [row.user_id, row.id]));
}

/** One notification by id, if its user may see it. */
export async function findNotification(
  manager: EntityManager,
  id: string,
): Promise<StoredNotification | null> {
  const rows: NotificationRow[] = await manager.query(
    `SELECT ${NOTIFICATION_COLUMNS} FROM ${VISIBLE_FROM} WHERE n.id = $1`,
    [id],
  );
  return rows[0] ? toStoredNotification(rows[0]) : null;
}

/** A user's newest notifications (only unread ones with `unreadOnly`). */
export async function listNotifications(
  manager: EntityManager,
  userId: string,
  options: { readonly limit: number; readonly unreadOnly: boolean },
): Promise<StoredNotification[]> {
  const rows: NotificationRow[] = await manager.query(
    `SELECT ${NOTIFICATION_COLUMNS} FROM ${VISIBLE_FROM}
     WHERE n.user_id = $1 AND ($2::boolean IS FALSE OR n.read_at IS NULL)
     ORDER BY n.created_at DESC, n.id DESC
     LIMIT $3`,
    [userId, options.unreadOnly, options.limit],
  );
  return rows.map(toStoredNotification);
}

/** How many of a user's visible notifications are unread. */
export async function unreadNotificationCount(manager: EntityManager, userId: string): Promise<number> {
  const rows: { count: string }[] = await manager.query(
    `SELECT count(*) AS count FROM ${VISIBLE_FROM} WHERE n.user_id = $1 AND n.read_at IS NULL`,
    [userId],
  );
  return Number(rows[0]?.count ?? 0);
}

/**
 * Marks a user's notifications read: those of `ids` that are theirs (others
 * are ignored, never an error that would tell them apart), or all of them.
 */
export async function markNotificationsRead(
  manager: EntityManager,
  userId: string,
  which: { readonly ids: readonly string[] } | 'all',
): Promise<number> {
  const rows: unknown[] =
    which === 'all'
      ? await rowsReturned(
          manager,
          `UPDATE notifications SET read_at = now() WHERE user_id = $1 AND read_at IS NULL RETURNING id`,
          [userId],
        )
      : await rowsReturned(
          manager,
          `UPDATE notifications SET read_at = now()
           WHERE user_id = $1 AND id = ANY($2::uuid[]) AND read_at IS NULL RETURNING id`,
          [userId, which.ids],
        );
  return rows.length;
}
