import type { Replica } from '@collab/client';
import { type DBSchema, type IDBPDatabase, openDB } from 'idb';
import type { EditCount } from '../editor/edit-counter';

export interface OutboxEntry {
  readonly docId: string;
  /** The session's client id: resending under it lets the server's dedupe apply each edit once. */
  readonly clientId: string;
  /** The document as the session last had it, with its unsent edits (as the SDK reports it). */
  readonly replica: Replica;
  /** How many of the person's edits the replica's pending operations hold (for the status line). */
  readonly edits?: EditCount;
  readonly savedAt: number;
}

interface OutboxDb extends DBSchema {
  entries: { key: [string, string]; value: OutboxEntry; indexes: { byDoc: string } };
}

const DB_NAME = 'collab-outbox';

/**
 * A local replica of each open document in IndexedDB, with its unacknowledged
 * edits, so that a document opens and typing goes on after a reload, a closed
 * tab or a crash while offline. One entry per (document, client id): every
 * tab is its own client, and a tab that is still open keeps its entry (it
 * holds a Web Lock named after it); a later visit adopts the newest entry
 * whose tab is gone and sends its edits with their original (clientId, seq).
 */
export class Outbox {
  private constructor(private readonly db: IDBPDatabase<OutboxDb>) {}

  static async open(): Promise<Outbox> {
    // Version 2 stores whole replicas; version 1 held unsent edits alone.
    const db = await openDB<OutboxDb>(DB_NAME, 2, {
      upgrade(database, oldVersion) {
        if (oldVersion >= 1) database.deleteObjectStore('entries');
        const store = database.createObjectStore('entries', { keyPath: ['docId', 'clientId'] });
        store.createIndex('byDoc', 'docId');
      },
    });
    return new Outbox(db);
  }

  /**
   * Stores the session's replica. IndexedDB's structured clone keeps a
   * Delta's own `ops` and drops its prototype: the plain `{ ops }` the SDK
   * accepts back.
   */
  async save(docId: string, clientId: string, replica: Replica, edits?: EditCount): Promise<void> {
    await this.db.put('entries', { docId, clientId, replica, ...(edits && { edits }), savedAt: Date.now() });
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
function sessionLockName(docId: string, clientId: string): string {
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

/** What a new session does with the entries of closed tabs. */
export interface AdoptionPlan<T> {
  /** Reopened as this session: the newest replica, under its client id. */
  readonly adopt: T | undefined;
  /** Older entries with unsent edits: each sent once under its own client id, then removed. */
  readonly flush: T[];
  /** Older entries with nothing unsent: superseded by the adopted one. */
  readonly discard: T[];
}

export function planAdoption<T extends { entry: OutboxEntry }>(claimed: readonly T[]): AdoptionPlan<T> {
  const newestFirst = [...claimed].sort((a, b) => b.entry.savedAt - a.entry.savedAt);
  const [adopt, ...older] = newestFirst;
  return {
    adopt,
    flush: older.filter((c) => c.entry.replica.pending !== null),
    discard: older.filter((c) => c.entry.replica.pending === null),
  };
}
