import { AppError, ErrorCode, isRetryableErrorCode } from '@collab/contracts';
import { type DBSchema, type IDBPDatabase, openDB } from 'idb';
import {
  dependsOnRefused,
  leftAfterSent,
  type PendingChange,
  planRecord,
  type StoredChange,
} from './pending-changes';

interface CommentOutboxDb extends DBSchema {
  changes: { key: number; value: StoredChange; indexes: { byDoc: string } };
  /** Version 1's store: only creations, keyed by comment id; moved into `changes` on upgrade. */
  comments: { key: string; value: PendingChange };
}

const DB_NAME = 'collab-comment-outbox';
/** Version 1 kept only creations (store `comments`); version 2 keeps every change, in order. */
const DB_VERSION = 2;

/**
 * The comment changes of this browser that the server has not answered yet,
 * in IndexedDB (as the edit outbox in ../outbox), in the order they were
 * made (an auto-incremented `seq`). A change is recorded before the first
 * send and removed once the server answered (done, or refused for good), so
 * what was written offline survives a reload and is sent again, with the
 * same ids, on the next visit. Recording collapses it with the pending
 * changes of its document (see `planRecord`) in one transaction.
 */
export class CommentOutbox {
  private constructor(private readonly db: IDBPDatabase<CommentOutboxDb>) {}

  static async open(): Promise<CommentOutbox> {
    const db = await openDB<CommentOutboxDb>(DB_NAME, DB_VERSION, {
      upgrade(database, oldVersion, _newVersion, tx) {
        const store = database.createObjectStore('changes', { keyPath: 'seq', autoIncrement: true });
        store.createIndex('byDoc', 'docId');
        if (oldVersion < 1) return;
        // Carry the creations a version-1 page kept over, oldest first, then drop their store
        // (all inside the upgrade's transaction, so a failed upgrade loses nothing).
        void tx
          .objectStore('comments')
          .getAll()
          .then(async (kept) => {
            for (const entry of kept.sort((a, b) => a.savedAt - b.savedAt))
              await store.add(entry as StoredChange);
            database.deleteObjectStore('comments');
          });
      },
    });
    return new CommentOutbox(db);
  }

  /**
   * Records `change` after the pending changes of its document, collapsed
   * with them. Answers the `seq` of the entry that will send it, or null when
   * nothing needs sending (a deletion of a comment never sent).
   */
  async record(change: PendingChange): Promise<number | null> {
    const tx = this.db.transaction('changes', 'readwrite');
    const pending = (await tx.store.index('byDoc').getAll(change.docId)).sort((a, b) => a.seq - b.seq);
    const plan = planRecord(pending, change);
    for (const seq of plan.remove) await tx.store.delete(seq);
    for (const entry of plan.replace) await tx.store.put(entry);
    const added = plan.add ? await tx.store.add(plan.add as StoredChange) : null;
    await tx.done;
    return plan.carrier === 'added' ? added : plan.carrier;
  }

  /** The pending changes of `docId`, in the order they were made. */
  async entries(docId: string): Promise<StoredChange[]> {
    const all = await this.db.getAllFromIndex('changes', 'byDoc', docId);
    return all.sort((a, b) => a.seq - b.seq);
  }

  async remove(seq: number): Promise<void> {
    await this.db.delete('changes', seq);
  }

  /**
   * Removes `sent` once the server stored it, or, when a change made
   * meanwhile collapsed into it, keeps in its place what is left to send
   * (see `leftAfterSent`), in one transaction with the read.
   */
  async settle(sent: StoredChange): Promise<void> {
    const tx = this.db.transaction('changes', 'readwrite');
    const left = leftAfterSent(sent, await tx.store.get(sent.seq));
    if (left) await tx.store.put(left);
    else await tx.store.delete(sent.seq);
    await tx.done;
  }

  close(): void {
    this.db.close();
  }
}

/**
 * What a failed send means for its change: `done` when the server already
 * is as the person wanted (a deletion of a comment that is gone), `refused`
 * for another final answer (the change goes, the person is told), `later`
 * for no answer or a retryable one (offline, server busy): it stays for the
 * next reconnect. Resolve, reopen and edit repeat cleanly on the server
 * (they answer the thread or comment as it is), and a creation's resend
 * answers what was stored, so only a deletion needs this reading.
 */
export function failureOutcome(change: PendingChange, error: unknown): 'done' | 'refused' | 'later' {
  if (!(error instanceof AppError) || isRetryableErrorCode(error.code)) return 'later';
  if (change.kind === 'delete' && error.code === ErrorCode.COMMENT_NOT_FOUND) return 'done';
  return 'refused';
}

/** What {@link flushPending} did. */
export interface FlushResult {
  /** Sent and answered, or found already done. */
  readonly sent: readonly StoredChange[];
  /** Refused for good, and the later changes that depended on them. */
  readonly refused: readonly { readonly entry: StoredChange; readonly error: unknown }[];
  /** Changes still kept: the first that got no answer and every one after it. */
  readonly left: number;
}

/** Passes over the outbox in one flush: a change made during one may leave something for the next. */
const MAX_PASSES = 3;

/**
 * Sends the pending changes of `docId` in the order they were made, each
 * with its own ids. Stops at the first that gets no final answer: the
 * connection is gone again, and no change may overtake an earlier one (an
 * edit its comment's creation, a deletion its edit). A change refused for
 * good takes the later ones that depend on it (see `dependsOnRefused`).
 * Changes recorded while it runs are sent by a further pass.
 */
export async function flushPending(
  outbox: Pick<CommentOutbox, 'entries' | 'remove' | 'settle'>,
  docId: string,
  send: (entry: StoredChange) => Promise<void>,
): Promise<FlushResult> {
  const sent: StoredChange[] = [];
  const refused: { entry: StoredChange; error: unknown }[] = [];
  let entries = await outbox.entries(docId);
  for (let pass = 1; entries.length > 0; pass++) {
    for (const [index, entry] of entries.entries()) {
      const cause = refused.find((r) => dependsOnRefused(r.entry, entry));
      if (cause) {
        refused.push({ entry, error: cause.error });
        await outbox.remove(entry.seq);
        continue;
      }
      const failure = await send(entry).then(
        () => null,
        (error: unknown) => ({ error }),
      );
      if (!failure) {
        sent.push(entry);
        await outbox.settle(entry);
        continue;
      }
      const outcome = failureOutcome(entry, failure.error);
      if (outcome === 'later') return { sent, refused, left: entries.length - index };
      if (outcome === 'done') sent.push(entry);
      else refused.push({ entry, error: failure.error });
      await outbox.remove(entry.seq);
    }
    entries = await outbox.entries(docId);
    if (pass === MAX_PASSES) return { sent, refused, left: entries.length };
  }
  return { sent, refused, left: 0 };
}
