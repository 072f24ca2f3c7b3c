import type { EntityManager } from 'typeorm';
import { bigintToNumber } from '../version';

/** A live document whose newest snapshot has no attribution row. */
export interface UnattributedDocument {
  readonly documentId: string;
  /** The newest snapshot's version: the one to attribute. */
  readonly snapshotVersion: number;
}

/**
 * Live documents whose newest snapshot has no `snapshot_attributions` row
 * (snapshots made before attribution existed), in document id order after
 * `afterId` (keyset paging: null starts at the beginning), at most `limit`.
 *
 * Until such a document's newest snapshot is attributed, every history read
 * folds its log from version 0. A document whose newest snapshot is
 * attributed is complete for history (older unattributed snapshots are never
 * a base again), so only the newest one counts. One backward step on the
 * snapshots' primary key and one primary-key probe per document.
 */
export async function documentsWithoutAttribution(
  manager: EntityManager,
  afterId: string | null,
  limit: number,
): Promise<UnattributedDocument[]> {
  const rows: { id: string; version: string }[] = await manager.query(
    `SELECT d.id, s.version
       FROM documents d
       JOIN LATERAL (
         SELECT version FROM snapshots WHERE document_id = d.id AND version > 0 ORDER BY version DESC LIMIT 1
       ) s ON true
      WHERE d.deleted_at IS NULL
        AND ($1::uuid IS NULL OR d.id > $1::uuid)
        AND NOT EXISTS (
          SELECT 1 FROM snapshot_attributions a WHERE a.document_id = d.id AND a.version = s.version
        )
      ORDER BY d.id
      LIMIT $2`,
    [afterId, limit],
  );
  return rows.map((row) => ({ documentId: row.id, snapshotVersion: bigintToNumber(row.version) }));
}
