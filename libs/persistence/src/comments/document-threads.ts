import type { CommentAnchor } from '@collab/ot';
import type { EntityManager } from 'typeorm';
import { bigintToNumber } from '../version';
import { type CommentRow, COMMENT_COLUMNS, type StoredComment, toStoredComment } from './comment.repository';
import { type StoredThread, type ThreadRow, toStoredThread } from './comment-thread.repository';

/**
 * Why the comment subqueries here end in `OFFSET 0`: it keeps each one a
 * probe of `idx_comments_thread_id` per thread (PostgreSQL does not pull a
 * subquery with an OFFSET up into a join). The planner's own choice, a
 * semi or hash join, is faster only with fresh statistics: on tables that
 * went from empty to hundreds of rows since the last ANALYZE (a new
 * install, a first busy minute) it expects 3 rows and joins by a nested
 * loop over a materialized scan, which for 500 threads took 13.7 ms
 * (places) and 27 ms (threads with comments) against 1.5 and 2.3 ms with
 * the fence; analyzed, the fence costs 1.0 and 1.8 ms against 0.5 and
 * 0.7 ms (bench/README, "Where a 500-thread list goes").
 */
const LIVE_COMMENTS_FENCE = 'OFFSET 0';

/** A thread with its comments not deleted, oldest first. */
export interface ThreadWithComments {
  readonly thread: StoredThread;
  readonly comments: StoredComment[];
}

type JoinedRow = CommentRow &
  Omit<ThreadRow, 'id' | 'created_at'> & {
    readonly thread_created_at: Date;
  };

/**
 * Every thread of a document that has a comment left, with those comments:
 * oldest thread first, oldest comment first within each. One statement, so
 * threads and comments come from one snapshot (a thread is never listed
 * without the comment that keeps it, nor a comment without its thread), and
 * one round trip however many threads there are: this is what opening a
 * document reads. With `only`, just those of these ids.
 */
export async function listDocumentThreads(
  manager: EntityManager,
  documentId: string,
  only?: readonly string[],
): Promise<ThreadWithComments[]> {
  // Each thread's comments by an index probe (LIVE_COMMENTS_FENCE), whatever the planner believes.
  const rows: JoinedRow[] = await manager.query(
    `SELECT c.*,
       t.document_id, t.anchor_from, t.anchor_to, t.anchor_version, t.anchor_detached, t.quoted_text,
       t.created_by, t.created_at AS thread_created_at, t.resolved_at, t.resolved_by
     FROM comment_threads t
     CROSS JOIN LATERAL (
       SELECT ${COMMENT_COLUMNS} FROM comments c
       WHERE c.thread_id = t.id AND c.deleted_at IS NULL
       ORDER BY c.created_at, c.id ${LIVE_COMMENTS_FENCE}
     ) c
     WHERE t.document_id = $1 ${only ? 'AND t.id = ANY($2::uuid[])' : ''}
     ORDER BY t.created_at, t.id, c.created_at, c.id`,
    only ? [documentId, only] : [documentId],
  );
  const out: ThreadWithComments[] = [];
  let current: ThreadWithComments | undefined;
  for (const row of rows) {
    if (current?.thread.id !== row.thread_id) {
      current = {
        thread: toStoredThread({ ...row, id: row.thread_id, created_at: row.thread_created_at }),
        comments: [],
      };
      out.push(current);
    }
    current.comments.push(toStoredComment(row));
  }
  return out;
}

/** Where a thread is, without its text or comments: what choosing the first of many costs. */
export interface ThreadPlace {
  readonly id: string;
  readonly anchor: CommentAnchor;
  readonly resolved: boolean;
}

interface PlaceRow {
  id: string;
  anchor_from: number;
  anchor_to: number;
  anchor_version: string;
  anchor_detached: boolean;
  resolved: boolean;
}

/**
 * The anchor of every thread of a document that has a comment left (the
 * threads {@link listDocumentThreads} lists), oldest first: a few bytes a
 * thread (no timestamp: parsing dates is most of what rows cost in `pg`), so
 * that a first page of a large discussion reads the comments of that page
 * only.
 */
export async function listThreadPlaces(manager: EntityManager, documentId: string): Promise<ThreadPlace[]> {
  const rows: PlaceRow[] = await manager.query(
    `SELECT t.id, t.anchor_from, t.anchor_to, t.anchor_version, t.anchor_detached,
       t.resolved_at IS NOT NULL AS resolved
     FROM comment_threads t
     WHERE t.document_id = $1
       AND EXISTS (SELECT 1 FROM comments c WHERE c.thread_id = t.id AND c.deleted_at IS NULL ${LIVE_COMMENTS_FENCE})
     ORDER BY t.created_at, t.id`,
    [documentId],
  );
  return rows.map((row) => ({
    id: row.id,
    anchor: {
      from: row.anchor_from,
      to: row.anchor_to,
      version: bigintToNumber(row.anchor_version),
      detached: row.anchor_detached,
    },
    resolved: row.resolved,
  }));
}
