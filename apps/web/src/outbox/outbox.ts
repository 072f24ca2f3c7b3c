import type { CollabDocumentOptions } from '@collab/client';
import { type DBSchema, type IDBPDatabase, openDB } from 'idb';

/** Unsent edits of one editing session (one tab on one document), as the SDK reports them. */
export type PendingEdits = NonNullable<CollabDocumentOptions['pending']>;

export interface OutboxEntry {
  readonly docId: string;
  /** The session's client id: resending under it lets the server's dedupe apply each edit once. */
  readonly clientId: string;
  readonly pending: PendingEdits;
  readonly savedAt: number;
}

interface OutboxDb extends DBSchema {
  entries: { key: [string, string]; value: OutboxEntry; indexes: { byDoc: string } };
}

const DB_NAME = 'collab-outbox';

/**
 * Unacknowledged edits in IndexedDB, so that typing survives a reload, a
 * closed tab or a crash while offline. One entry per (document, client id):
 * every tab is its own client, and a tab that is still open keeps its entry
 * (it holds a Web Lock named after it); a later visit adopts the entries
 * whose tab is gone and sends them with their original (clientId, seq).
 */
export class Outbox {
  private constructor(private readonly db: IDBPDatabase<OutboxDb>) {}

  static async open(): Promise<Outbox> {
    const db = await openDB<OutboxDb>(DB_NAME, 1, {
      upgrade(database) {
        const store = database.createObjectStore('entries', { keyPath: ['docId', 'clientId'] });
        store.createIndex('byDoc', 'docId');
      },
    });
    return new Outbox(db);
  }

  /** Stores (or, when nothing is pending, removes) the session's unsent edits. */
  async save(docId: string, clientId: string, pending: PendingEdits | null): Promise<void> {
    if (pending === null) {
      await this.db.delete('entries', [docId, clientId]);
      return;
    }
    // Through JSON: Delta instances become plain {ops}, which the SDK accepts back.
    const plain = JSON.parse(JSON.stringify(pending)) as PendingEdits;
    await this.db.put('entries', { docId, clientId, pending: plain, savedAt: Date.now() });
  }

  async entries(docId: string): Promise<OutboxEntry[]> {
    return this.db.getAllFromIndex('entries', 'byDoc', docId);
  }

  async remove(docId: string, clientId: string): Promise<void> {
    await this.db.delete('entries', [docId, clientId]);
  }

  close(): void {
    this.db.close();
  }
}

/** The Web Lock a tab holds while it edits as `clientId`: other tabs then leave its entry alone. */
export function sessionLockName(docId: string, clientId: string): string {
  return `collab-session:${docId}:${clientId}`;
}

/** Releases a held session lock. */
export type ReleaseLock = () => void;

/**
 * Takes the session lock if no other tab holds it, and keeps it until the
 * returned function is called; null when another tab holds it. Taking and
 * keeping is one step, so two tabs can never adopt the same entry. Without
 * the Web Locks API (old browsers) every lock is granted.
 */
export async function tryHoldSessionLock(docId: string, clientId: string): Promise<ReleaseLock | null> {
  if (typeof navigator === 'undefined' || !('locks' in navigator)) return () => undefined;
  let release!: ReleaseLock;
  const held = new Promise<void>((resolve) => (release = resolve));
  return new Promise((resolve) => {
    void navigator.locks.request(sessionLockName(docId, clientId), { ifAvailable: true }, (lock) => {
      if (lock === null) {
        resolve(null);
        return undefined;
      }
      resolve(release);
      return held;
    });
  });
}

/** Entries of `docId` whose tab is gone, each with its lock now held by the caller. */
export async function claimOrphanedEntries(
  outbox: Outbox,
  docId: string,
): Promise<{ entry: OutboxEntry; release: ReleaseLock }[]> {
  const claimed: { entry: OutboxEntry; release: ReleaseLock }[] = [];
  for (const entry of await outbox.entries(docId)) {
    const release = await tryHoldSessionLock(docId, entry.clientId);
    if (release) claimed.push({ entry, release });
  }
  return claimed;
}
