import { type AnchorRequest, AppError, isRetryableErrorCode } from '@collab/contracts';
import { type DBSchema, type IDBPDatabase, openDB } from 'idb';

interface PendingBase {
  readonly docId: string;
  readonly threadId: string;
  /** Made by the client before the first send; every resend carries it, so the server stores it once. */
  readonly commentId: string;
  readonly body: string;
  readonly mentions: readonly string[];
  readonly savedAt: number;
}

/** A comment written but not yet answered by the server: a new thread, or a reply to one. */
export type PendingComment =
  | (PendingBase & { readonly kind: 'thread'; readonly anchor: AnchorRequest })
  | (PendingBase & { readonly kind: 'reply' });

interface CommentOutboxDb extends DBSchema {
  comments: { key: string; value: PendingComment; indexes: { byDoc: string } };
}

const DB_NAME = 'collab-comment-outbox';

/**
 * The comments of this browser that the server has not answered yet, in
 * IndexedDB (as the edit outbox in ../outbox), keyed by their client-made
 * comment id. An entry is written before the first send and removed once the
 * server answered (stored, or refused for good), so a comment written offline
 * survives a reload and is sent again, with the same ids, on the next visit.
 */
export class CommentOutbox {
  private constructor(private readonly db: IDBPDatabase<CommentOutboxDb>) {}

  static async open(): Promise<CommentOutbox> {
    const db = await openDB<CommentOutboxDb>(DB_NAME, 1, {
      upgrade(database) {
        const store = database.createObjectStore('comments', { keyPath: 'commentId' });
        store.createIndex('byDoc', 'docId');
      },
    });
    return new CommentOutbox(db);
  }

  async put(entry: PendingComment): Promise<void> {
    await this.db.put('comments', entry);
  }

  /** The pending comments of `docId`, oldest first (a thread before the replies written after it). */
  async entries(docId: string): Promise<PendingComment[]> {
    const all = await this.db.getAllFromIndex('comments', 'byDoc', docId);
    return all.sort((a, b) => a.savedAt - b.savedAt);
  }

  async remove(commentId: string): Promise<void> {
    await this.db.delete('comments', commentId);
  }

  close(): void {
    this.db.close();
  }
}

/**
 * What a failed send means for its entry: `refused` is a final answer (the
 * entry goes, the person is told); `later` is no answer or a retryable one
 * (offline, server busy), so the entry stays for the next reconnect.
 */
export function failureOutcome(error: unknown): 'refused' | 'later' {
  return error instanceof AppError && !isRetryableErrorCode(error.code) ? 'refused' : 'later';
}

/** What {@link flushPending} did. */
export interface FlushResult {
  readonly sent: readonly PendingComment[];
  readonly refused: readonly { readonly entry: PendingComment; readonly error: unknown }[];
  /** Entries still kept: the first that got no answer and every one after it. */
  readonly left: number;
}

/**
 * Sends the pending comments of `docId` again, oldest first, each with its own
 * ids (a resend of one the server already stored answers what it stored, so
 * it counts as sent). Stops at the first that gets no final answer: the
 * connection is gone again, and a reply must not overtake its pending thread.
 */
export async function flushPending(
  outbox: Pick<CommentOutbox, 'entries' | 'remove'>,
  docId: string,
  send: (entry: PendingComment) => Promise<void>,
): Promise<FlushResult> {
  const entries = await outbox.entries(docId);
  const sent: PendingComment[] = [];
  const refused: { entry: PendingComment; error: unknown }[] = [];
  for (const [index, entry] of entries.entries()) {
    try {
      await send(entry);
      sent.push(entry);
    } catch (error) {
      if (failureOutcome(error) === 'later') return { sent, refused, left: entries.length - index };
      refused.push({ entry, error });
    }
    await outbox.remove(entry.commentId);
  }
  return { sent, refused, left: 0 };
}
