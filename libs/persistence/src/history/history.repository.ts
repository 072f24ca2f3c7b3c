import type { EntityManager } from 'typeorm';
import { bigintToNumber } from '../version';

/** Someone who wrote operations between two history entries. */
export interface HistoryAuthor {
  readonly userId: string;
  readonly name: string;
  readonly color: string;
}

/**
 * One version that appears in a document's history, with every reason it
 * does: a snapshot exists there, someone named it, and/or the operation that
 * produced it restored an older version.
 */
export interface HistoryMark {
  readonly version: number;
  readonly snapshot: boolean;
  /** The name someone gave this version, if any. */
  readonly name: string | null;
  /** The version the operation at this version restored, if it was a restore. */
  readonly restoredFrom: number | null;
  /** When this version came to be: its operation's commit time (the document's creation for version 0). */
  readonly createdAt: Date;
  /** Who wrote the operations after the previous listed version, up to this one; by name. */
  readonly authors: HistoryAuthor[];
}

interface MarkRow {
  version: string;
  snapshot: boolean;
  name: string | null;
  restored_from: string | null;
  created_at: Date;
}

interface AuthorRow {
  entry: string;
  user_id: string;
  name: string;
  color: string;
}

/**
 * A page of a document's history, newest first: the versions below `before`
 * (all when omitted) that have a snapshot, a name, or were written by a
 * restore, at most `limit` of them.
 *
 * Restores are found through the partial index `idx_operations_restores`, so
 * the cost grows with the number of entries listed, never with the length of
 * the log; authors are read per entry as a primary-key range of the log
 * between that entry and the one before it.
 */
export async function listHistory(
  manager: EntityManager,
  documentId: string,
  page: { before?: number; limit: number },
): Promise<HistoryMark[]> {
  if (!Number.isSafeInteger(page.limit) || page.limit < 1) {
    throw new RangeError(`limit must be >= 1, got ${page.limit}`);
  }
  const before = page.before ?? null;
  // One more than asked: the extra entry is where the oldest listed entry's authors start.
  const rows: MarkRow[] = await manager.query(
    `WITH marks AS (
       SELECT version FROM snapshots
        WHERE document_id = $1 AND ($2::bigint IS NULL OR version < $2)
       UNION
       SELECT version FROM named_versions
        WHERE document_id = $1 AND ($2::bigint IS NULL OR version < $2)
       UNION
       SELECT version FROM operations
        WHERE document_id = $1 AND restored_from IS NOT NULL AND ($2::bigint IS NULL OR version < $2)
     ), page AS (
       SELECT version FROM marks ORDER BY version DESC LIMIT $3
     )
     SELECT p.version,
            EXISTS (SELECT 1 FROM snapshots s WHERE s.document_id = $1 AND s.version = p.version) AS snapshot,
            (SELECT n.name FROM named_versions n WHERE n.document_id = $1 AND n.version = p.version) AS name,
            o.restored_from,
            COALESCE(o.created_at, d.created_at) AS created_at
       FROM page p
       JOIN documents d ON d.id = $1
       LEFT JOIN operations o ON o.document_id = $1 AND o.version = p.version
      ORDER BY p.version DESC`,
    [documentId, before, page.limit + 1],
  );
  const marks = rows.map((row) => ({
    version: bigintToNumber(row.version),
    snapshot: row.snapshot,
    name: row.name,
    restoredFrom: row.restored_from === null ? null : bigintToNumber(row.restored_from),
    createdAt: row.created_at,
  }));
  const listed = marks.slice(0, page.limit);
  if (listed.length === 0) return [];
  const previous = listed.map((_, i) => marks[i + 1]?.version ?? 0);
  const authorRows: AuthorRow[] = await manager.query(
    `SELECT b.entry, u.id AS user_id, u.name, u.color
       FROM unnest($2::bigint[], $3::bigint[]) AS b(entry, previous)
       CROSS JOIN LATERAL (
         SELECT DISTINCT o.user_id FROM operations o
          WHERE o.document_id = $1 AND o.version > b.previous AND o.version <= b.entry
       ) w
       JOIN users u ON u.id = w.user_id
      ORDER BY b.entry DESC, u.name, u.id`,
    [documentId, listed.map((m) => m.version), previous],
  );
  const authors = new Map<number, HistoryAuthor[]>();
  for (const row of authorRows) {
    const entry = bigintToNumber(row.entry);
    const list = authors.get(entry) ?? [];
    list.push({ userId: row.user_id, name: row.name, color: row.color });
    authors.set(entry, list);
  }
  return listed.map((mark) => ({ ...mark, authors: authors.get(mark.version) ?? [] }));
}

/**
 * Names a version (or renames it: one name per version, the latest wins).
 * The caller checks that the version exists (at most the head).
 *
 * @returns The version's history entry after naming it.
 */
export async function nameVersion(
  manager: EntityManager,
  documentId: string,
  version: number,
  name: string,
  userId: string,
): Promise<HistoryMark> {
  await manager.query(
    `INSERT INTO named_versions (document_id, version, name, created_by)
     VALUES ($1, $2, $3, $4)
     ON CONFLICT (document_id, version) DO UPDATE SET name = EXCLUDED.name, created_by = EXCLUDED.created_by`,
    [documentId, version, name, userId],
  );
  const [mark] = await listHistory(manager, documentId, { before: version + 1, limit: 1 });
  return mark;
}
