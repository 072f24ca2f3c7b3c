import type { CommentAnchor } from '@collab/ot';
import type { EntityManager } from 'typeorm';
import { rowsReturned } from '../sql';
import { bigintToNumber } from '../version';

/** A thread to store: its client-made id, its anchor at the version it holds, the quoted text. */
export interface NewThread {
  readonly id: string;
  readonly documentId: string;
  readonly anchor: CommentAnchor;
  readonly quotedText: string;
  readonly createdBy: string;
}

/** A thread as read back (its anchor as stored: move it to the head before showing it). */
export interface StoredThread extends NewThread {
  readonly createdAt: Date;
  readonly resolvedAt: Date | null;
  readonly resolvedBy: string | null;
}

export interface ThreadRow {
  id: string;
  document_id: string;
  anchor_from: number;
  anchor_to: number;
  anchor_version: string;
  anchor_detached: boolean;
  quoted_text: string;
  created_by: string;
  created_at: Date;
  resolved_at: Date | null;
  resolved_by: string | null;
}

const THREAD_COLUMNS = `t.id, t.document_id, t.anchor_from, t.anchor_to, t.anchor_version, t.anchor_detached,
  t.quoted_text, t.created_by, t.created_at, t.resolved_at, t.resolved_by`;

export function toStoredThread(row: ThreadRow): StoredThread {
  return {
    id: row.id,
    documentId: row.document_id,
    anchor: {
      from: row.anchor_from,
      to: row.anchor_to,
      version: bigintToNumber(row.anchor_version),
      detached: row.anchor_detached,
    },
    quotedText: row.quoted_text,
    createdBy: row.created_by,
    createdAt: row.created_at,
    resolvedAt: row.resolved_at,
    resolvedBy: row.resolved_by,
  };
}

/**
 * Stores a thread unless its id exists (a resend, or a clash). True when this
 * call stored it; the caller reads the existing one otherwise.
 */
export async function insertThreadIfAbsent(manager: EntityManager, thread: NewThread): Promise<boolean> {
  const rows: unknown[] = await manager.query(
    `INSERT INTO comment_threads
       (id, document_id, anchor_from, anchor_to, anchor_version, anchor_detached, quoted_text, created_by)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
     ON CONFLICT (id) DO NOTHING
     RETURNING id`,
    [
      thread.id,
      thread.documentId,
      thread.anchor.from,
      thread.anchor.to,
      thread.anchor.version,
      thread.anchor.detached,
      thread.quotedText,
      thread.createdBy,
    ],
  );
  return rows.length === 1;
}

/** A thread by id, whatever its document (to tell a clash of ids from a resend). */
export async function findThreadById(manager: EntityManager, threadId: string): Promise<StoredThread | null> {
  const rows: ThreadRow[] = await manager.query(
    `SELECT ${THREAD_COLUMNS} FROM comment_threads t WHERE t.id = $1`,
    [threadId],
  );
  return rows[0] ? toStoredThread(rows[0]) : null;
}

/**
 * A document's threads that still have a comment, oldest first (a thread
 * whose every comment was deleted is gone for readers). `OFFSET 0`: one
 * index probe per thread, whatever the statistics (see document-threads.ts).
 */
export async function listThreads(manager: EntityManager, documentId: string): Promise<StoredThread[]> {
  const rows: ThreadRow[] = await manager.query(
    `SELECT ${THREAD_COLUMNS} FROM comment_threads t
     WHERE t.document_id = $1
       AND EXISTS (SELECT 1 FROM comments c WHERE c.thread_id = t.id AND c.deleted_at IS NULL OFFSET 0)
     ORDER BY t.created_at, t.id`,
    [documentId],
  );
  return rows.map(toStoredThread);
}

/**
 * Resolves (`by` a user) or reopens (`by` null) a thread of the document.
 * Resolving a resolved thread keeps who resolved it first, and reopening an
 * open one changes nothing: both answer the thread as it is. Null when the
 * document has no such thread.
 */
export async function setThreadResolved(
  manager: EntityManager,
  documentId: string,
  threadId: string,
  by: string | null,
): Promise<StoredThread | null> {
  const rows: ThreadRow[] =
    by === null
      ? await rowsReturned(
          manager,
          `UPDATE comment_threads t SET resolved_at = NULL, resolved_by = NULL
           WHERE t.id = $1 AND t.document_id = $2
           RETURNING ${THREAD_COLUMNS}`,
          [threadId, documentId],
        )
      : await rowsReturned(
          manager,
          `UPDATE comment_threads t
           SET resolved_at = COALESCE(t.resolved_at, now()), resolved_by = COALESCE(t.resolved_by, $3)
           WHERE t.id = $1 AND t.document_id = $2
           RETURNING ${THREAD_COLUMNS}`,
          [threadId, documentId, by],
        );
  return rows[0] ? toStoredThread(rows[0]) : null;
}

/**
 * Stores anchors moved to a later version, in one statement. Only forwards:
 * a row already at that version or later (another reader got there first)
 * is left alone, so racing readers never move an anchor back. Anchors are a
 * pure function of the stored one and the log, so whichever reader wins
 * stores the same value. Answers how many rows moved.
 */
export async function storeMovedAnchors(
  manager: EntityManager,
  moved: ReadonlyArray<{ readonly threadId: string; readonly anchor: CommentAnchor }>,
): Promise<number> {
  if (moved.length === 0) return 0;
  const rows: unknown[] = await rowsReturned(
    manager,
    `UPDATE comment_threads t
     SET anchor_from = m.anchor_from, anchor_to = m.anchor_to,
         anchor_version = m.anchor_version, anchor_detached = m.anchor_detached
     FROM unnest($1::uuid[], $2::int[], $3::int[], $4::bigint[], $5::boolean[])
       AS m(id, anchor_from, anchor_to, anchor_version, anchor_detached)
     WHERE t.id = m.id AND t.anchor_version < m.anchor_version
     RETURNING t.id`,
    [
      moved.map((m) => m.threadId),
      moved.map((m) => m.anchor.from),
      moved.map((m) => m.anchor.to),
      moved.map((m) => m.anchor.version),
      moved.map((m) => m.anchor.detached),
    ],
  );
  return rows.length;
}
