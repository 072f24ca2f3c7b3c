import type { EntityManager } from 'typeorm';
import type { StoredDelta } from '../stored-delta';
import { bigintToNumber } from '../version';

/** A snapshot to store: the document at `version`. */
export interface NewSnapshot {
  readonly documentId: string;
  /** The version of the last operation folded in (0 for the empty document). */
  readonly version: number;
  /** The document's Delta ops array. */
  readonly delta: StoredDelta;
  /** Sanitized HTML. */
  readonly html: string;
  readonly text: string;
}

/** A snapshot as read back. */
export interface StoredSnapshot extends NewSnapshot {
  readonly createdAt: Date;
}

interface SnapshotRow {
  document_id: string;
  version: string;
  delta: StoredDelta;
  html: string;
  text: string;
  created_at: Date;
}

const SNAPSHOT_COLUMNS = 'document_id, version, delta, html, text, created_at';

function toStoredSnapshot(row: SnapshotRow): StoredSnapshot {
  return {
    documentId: row.document_id,
    version: bigintToNumber(row.version),
    delta: row.delta,
    html: row.html,
    text: row.text,
    createdAt: row.created_at,
  };
}

/**
 * The newest snapshot of a document, or the newest at or below `atOrBelow`
 * (to rebuild a past version: that snapshot plus the operations after it).
 * One backward step on the primary key index.
 */
export async function latestSnapshot(
  manager: EntityManager,
  documentId: string,
  atOrBelow?: number,
): Promise<StoredSnapshot | null> {
  const rows: SnapshotRow[] =
    atOrBelow === undefined
      ? await manager.query(
          `SELECT ${SNAPSHOT_COLUMNS} FROM snapshots WHERE document_id = $1 ORDER BY version DESC LIMIT 1`,
          [documentId],
        )
      : await manager.query(
          `SELECT ${SNAPSHOT_COLUMNS} FROM snapshots WHERE document_id = $1 AND version <= $2 ORDER BY version DESC LIMIT 1`,
          [documentId, atOrBelow],
        );
  return rows.length > 0 ? toStoredSnapshot(rows[0]) : null;
}

/**
 * Stores a snapshot unless one exists for the same (document, version).
 *
 * INSERT ... ON CONFLICT DO NOTHING makes the snapshot job idempotent under
 * at-least-once delivery: a redelivered job, a retry after a crash, or two
 * workers racing all end with exactly one row, and an existing snapshot is never
 * overwritten (two correct snapshots of one version are equal anyway).
 *
 * @returns true if this call inserted the row, false if it was already there.
 */
export async function insertSnapshotIfAbsent(manager: EntityManager, row: NewSnapshot): Promise<boolean> {
  const inserted: unknown[] = await manager.query(
    `INSERT INTO snapshots (document_id, version, delta, html, text)
     VALUES ($1, $2, $3::jsonb, $4, $5)
     ON CONFLICT (document_id, version) DO NOTHING
     RETURNING 1`,
    [row.documentId, row.version, JSON.stringify(row.delta), row.html, row.text],
  );
  return inserted.length > 0;
}

/** A document whose newest snapshot lags its head. */
export interface LaggingDocument {
  readonly documentId: string;
  readonly headVersion: number;
  /** The newest snapshot's version, 0 when it has none. */
  readonly snapshotVersion: number;
}

/**
 * Documents (not deleted) whose head is more than `lagVersions` past their
 * newest snapshot, the most lagging first, at most `limit`: what the
 * sweeper queues snapshot jobs for.
 */
export async function documentsBehindSnapshots(
  manager: EntityManager,
  lagVersions: number,
  limit: number,
): Promise<LaggingDocument[]> {
  const rows: { id: string; head: string; snapshot: string }[] = await manager.query(
    `SELECT d.id, d.head_version AS head, COALESCE(s.version, 0) AS snapshot
     FROM documents d
     LEFT JOIN LATERAL (
       SELECT version FROM snapshots WHERE document_id = d.id ORDER BY version DESC LIMIT 1
     ) s ON true
     WHERE d.deleted_at IS NULL AND d.head_version - COALESCE(s.version, 0) > $1
     ORDER BY d.head_version - COALESCE(s.version, 0) DESC
     LIMIT $2`,
    [lagVersions, limit],
  );
  return rows.map((row) => ({
    documentId: row.id,
    headVersion: bigintToNumber(row.head),
    snapshotVersion: bigintToNumber(row.snapshot),
  }));
}
