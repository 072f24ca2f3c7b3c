import type { EntityManager } from 'typeorm';
import { type CommentRow, COMMENT_COLUMNS, type StoredComment, toStoredComment } from './comment.repository';
import { type StoredThread, type ThreadRow, toStoredThread } from './comment-thread.repository';

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
 * document reads.
 */
export async function listDocumentThreads(
  manager: EntityManager,
  documentId: string,
): Promise<ThreadWithComments[]> {
  const rows: JoinedRow[] = await manager.query(
    `SELECT ${COMMENT_COLUMNS},
       t.document_id, t.anchor_from, t.anchor_to, t.anchor_version, t.anchor_detached, t.quoted_text,
       t.created_by, t.created_at AS thread_created_at, t.resolved_at, t.resolved_by
     FROM comment_threads t
     JOIN comments c ON c.thread_id = t.id AND c.deleted_at IS NULL
     WHERE t.document_id = $1
     ORDER BY t.created_at, t.id, c.created_at, c.id`,
    [documentId],
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
