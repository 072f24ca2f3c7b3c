import type { EntityManager } from 'typeorm';
import { rowsReturned } from '../sql';

/** A comment to store, with its client-made id. */
export interface NewComment {
  readonly id: string;
  readonly threadId: string;
  readonly authorId: string;
  readonly body: string;
}

/** A comment as read back, with the people it mentions. */
export interface StoredComment extends NewComment {
  readonly mentions: readonly string[];
  readonly createdAt: Date;
  readonly editedAt: Date | null;
  readonly deletedAt: Date | null;
}

export interface CommentRow {
  id: string;
  thread_id: string;
  author_id: string;
  body: string;
  mentions: string[];
  created_at: Date;
  edited_at: Date | null;
  deleted_at: Date | null;
}

export const COMMENT_COLUMNS = `c.id, c.thread_id, c.author_id, c.body, c.created_at, c.edited_at, c.deleted_at,
  COALESCE((SELECT array_agg(m.user_id ORDER BY m.user_id) FROM mentions m WHERE m.comment_id = c.id),
           '{}'::uuid[]) AS mentions`;

export function toStoredComment(row: CommentRow): StoredComment {
  return {
    id: row.id,
    threadId: row.thread_id,
    authorId: row.author_id,
    body: row.body,
    mentions: row.mentions,
    createdAt: row.created_at,
    editedAt: row.edited_at,
    deletedAt: row.deleted_at,
  };
}

/** Stores a comment unless its id exists; true when this call stored it. */
export async function insertCommentIfAbsent(manager: EntityManager, comment: NewComment): Promise<boolean> {
  const rows: unknown[] = await manager.query(
    `INSERT INTO comments (id, thread_id, author_id, body) VALUES ($1, $2, $3, $4)
     ON CONFLICT (id) DO NOTHING RETURNING id`,
    [comment.id, comment.threadId, comment.authorId, comment.body],
  );
  return rows.length === 1;
}

/** A comment by id, deleted or not. */
export async function findCommentById(
  manager: EntityManager,
  commentId: string,
): Promise<StoredComment | null> {
  const rows: CommentRow[] = await manager.query(
    `SELECT ${COMMENT_COLUMNS} FROM comments c WHERE c.id = $1`,
    [commentId],
  );
  return rows[0] ? toStoredComment(rows[0]) : null;
}

/** The comments not deleted of these threads, oldest first within each. */
export async function listComments(
  manager: EntityManager,
  threadIds: readonly string[],
): Promise<StoredComment[]> {
  if (threadIds.length === 0) return [];
  const rows: CommentRow[] = await manager.query(
    `SELECT ${COMMENT_COLUMNS} FROM comments c
     WHERE c.thread_id = ANY($1::uuid[]) AND c.deleted_at IS NULL
     ORDER BY c.thread_id, c.created_at, c.id`,
    [threadIds],
  );
  return rows.map(toStoredComment);
}

/** Replaces a live comment's body and marks it edited; false when it is gone. */
export async function updateCommentBody(
  manager: EntityManager,
  commentId: string,
  body: string,
): Promise<boolean> {
  const rows: unknown[] = await rowsReturned(
    manager,
    `UPDATE comments SET body = $2, edited_at = now() WHERE id = $1 AND deleted_at IS NULL RETURNING id`,
    [commentId, body],
  );
  return rows.length === 1;
}

/**
 * Deletes a comment: its text is cleared and its mentions dropped, its row
 * stays (so a late resend of its creation is recognised, not stored again).
 * False when it was already deleted.
 */
export async function markCommentDeleted(manager: EntityManager, commentId: string): Promise<boolean> {
  const rows: unknown[] = await rowsReturned(
    manager,
    `UPDATE comments SET body = '', deleted_at = now() WHERE id = $1 AND deleted_at IS NULL RETURNING id`,
    [commentId],
  );
  if (rows.length === 0) return false;
  await manager.query(`DELETE FROM mentions WHERE comment_id = $1`, [commentId]);
  return true;
}

/** How many comments of a thread are not deleted. */
export async function liveCommentCount(manager: EntityManager, threadId: string): Promise<number> {
  const rows: { count: string }[] = await manager.query(
    `SELECT count(*) AS count FROM comments WHERE thread_id = $1 AND deleted_at IS NULL`,
    [threadId],
  );
  return Number(rows[0]?.count ?? 0);
}
