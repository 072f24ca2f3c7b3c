import type { CommentAnchor } from '@collab/ot';
import type { EntityManager } from 'typeorm';
import { bigintToNumber } from '../version';
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
 * document reads. With `only`, just those of these ids.
 */
export async function listDocumentThreads(
  manager: EntityManager,
  documentId: string,
  only?: readonly string[],
): Promise<ThreadWithComments[]> {
  const rows: JoinedRow[] = await manager.query(
    `SELECT ${COMMENT_COLUMNS},
       t.document_id, t.anchor_from, t.anchor_to, t.anchor_version, t.anchor_detached, t.quoted_text,
       t.created_by, t.created_at AS thread_created_at, t.resolved_at, t.resolved_by
     FROM comment_threads t
     JOIN comments c ON c.thread_id = t.id AND c.deleted_at IS NULL
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
  readonly createdAt: Date;
  readonly resolved: boolean;
}

interface PlaceRow {
  id: string;
  anchor_from: number;
  anchor_to: number;
  anchor_version: string;
  anchor_detached: boolean;
  created_at: Date;
  resolved: boolean;
}

/**
 * The anchor of every thread of a document that has a comment left (the
 * threads {@link listDocumentThreads} lists), oldest first: a few bytes a
 * thread, so that a first page of a large discussion reads the comments of
 * that page only.
 */
export async function listThreadPlaces(manager: EntityManager, documentId: string): Promise<ThreadPlace[]> {
  const rows: PlaceRow[] = await manager.query(
    `SELECT t.id, t.anchor_from, t.anchor_to, t.anchor_version, t.anchor_detached, t.created_at,
       t.resolved_at IS NOT NULL AS resolved
     FROM comment_threads t
     WHERE t.document_id = $1
       AND EXISTS (SELECT 1 FROM comments c WHERE c.thread_id = t.id AND c.deleted_at IS NULL)
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
    createdAt: row.created_at,
    resolved: row.resolved,
  }));
}
