import { CommentThreadDto, Version } from '@collab/contracts';
import { type DBSchema, type IDBPDatabase, openDB } from 'idb';

/**
 * The threads of a document as this browser last had them from the server,
 * for a person who opens the document again without a network: the edit
 * outbox (../outbox) brings the text back, and this the discussion on it.
 * Every anchor holds at `version`, the committed version of the stream the
 * threads were kept against, so they are shown only on a replica at exactly
 * that version (no operation is at hand offline to move them further).
 */
export interface CachedThreads {
  readonly userId: string;
  readonly docId: string;
  readonly version: number;
  readonly threads: readonly CommentThreadDto[];
  readonly savedAt: number;
}

const Threads = CommentThreadDto.array();

/** `stored` as a {@link CachedThreads} of (userId, docId), or null when it has another shape. */
function asCached(stored: unknown, userId: string, docId: string): CachedThreads | null {
  if (typeof stored !== 'object' || stored === null) return null;
  const entry = stored as Record<string, unknown>;
  const version = Version.safeParse(entry['version']);
  const threads = Threads.safeParse(entry['threads']);
  if (!version.success || !threads.success || typeof entry['savedAt'] !== 'number') return null;
  return { userId, docId, version: version.data, threads: threads.data, savedAt: entry['savedAt'] };
}

interface ThreadCacheDb extends DBSchema {
  /** One entry per (user, document): a shared browser never shows one person's comments to another. */
  lists: { key: [string, string]; value: CachedThreads };
}

const DB_NAME = 'collab-comment-cache';

/** Shown while the threads come from this device's copy, the server out of reach. */
export const OFFLINE_COPY_NOTE = 'Offline: these are the comments as this device last saw them.';

export class ThreadCache {
  private constructor(private readonly db: IDBPDatabase<ThreadCacheDb>) {}

  static async open(): Promise<ThreadCache> {
    const db = await openDB<ThreadCacheDb>(DB_NAME, 1, {
      upgrade(database) {
        database.createObjectStore('lists', { keyPath: ['userId', 'docId'] });
      },
    });
    return new ThreadCache(db);
  }

  /**
   * The threads `userId` last had of `docId`, or null. What an older version
   * of the app stored in another shape is dropped, never shown half-read.
   */
  async read(userId: string, docId: string): Promise<CachedThreads | null> {
    const stored: unknown = await this.db.get('lists', [userId, docId]);
    if (stored === undefined) return null;
    const cached = asCached(stored, userId, docId);
    if (!cached) await this.db.delete('lists', [userId, docId]);
    return cached;
  }

  async write(entry: CachedThreads): Promise<void> {
    await this.db.put('lists', entry);
  }

  close(): void {
    this.db.close();
  }
}

/** How long the threads of a busy document may go unsaved (a write at most this often). */
const CACHE_WRITE_MS = 500;

/**
 * Calls `write` with the latest of what `save` was given, at most once per
 * `delayMs`, the last one always written: a document whose anchors move
 * with every keystroke costs one IndexedDB write per interval, not one per
 * operation. `flush` writes what is waiting now (the document closes).
 */
export function throttledWriter<T>(
  write: (value: T) => void,
  delayMs = CACHE_WRITE_MS,
): { save(value: T): void; flush(): void } {
  let timer: ReturnType<typeof setTimeout> | undefined;
  let latest: { value: T } | undefined;
  const flush = () => {
    clearTimeout(timer);
    timer = undefined;
    const waiting = latest;
    latest = undefined;
    if (waiting) write(waiting.value);
  };
  return {
    save(value) {
      latest = { value };
      timer ??= setTimeout(flush, delayMs);
    },
    flush,
  };
}

/** This device's copy of one person's threads of one open document (see {@link deviceCopy}). */
export interface DeviceCopy {
  /** Keeps `threads`, anchors at `version` (throttled: see {@link throttledWriter}). */
  save(version: number, threads: readonly CommentThreadDto[]): void;
  /** Writes what `save` was last given now (the document closes). */
  flush(): void;
  /** What is kept (its anchors at its `version`: show it only on a replica there), or null. */
  read(): Promise<CachedThreads | null>;
}

/**
 * The copy `userId` keeps of `docId`'s threads in `cache` (null: no
 * IndexedDB, nothing kept). Only a whole list should be saved: a first page
 * kept as the copy would hide the other threads on the next offline visit.
 */
export function deviceCopy(
  cache: Promise<ThreadCache | null>,
  userId: string | undefined,
  docId: string,
): DeviceCopy {
  const writer = throttledWriter((entry: CachedThreads) => {
    void cache.then((c) => c?.write(entry)).catch(() => undefined);
  });
  return {
    save(version, threads) {
      if (userId) writer.save({ userId, docId, version, threads, savedAt: Date.now() });
    },
    flush: () => writer.flush(),
    async read() {
      if (!userId) return null;
      return (await cache.then((c) => c?.read(userId, docId)).catch(() => null)) ?? null;
    },
  };
}
