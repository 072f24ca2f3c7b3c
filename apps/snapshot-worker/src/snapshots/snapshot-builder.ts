import { ServerDocument } from '@collab/ot';
import {
  insertSnapshotIfAbsent,
  latestSnapshot,
  loadOperationsAfter,
  type StoredDelta,
} from '@collab/persistence';
import type { Op } from 'quill-delta';
import type { DataSource } from 'typeorm';
import { renderDocumentHtml } from '@collab/rich-text';

/** What a snapshot job did. */
export const SnapshotOutcome = {
  /** This call stored the snapshot. */
  Created: 'created',
  /** A snapshot of this version was already there (a duplicate job, or a racing worker won). */
  Existed: 'existed',
  /** The document does not exist or was deleted: nothing to snapshot. */
  DocumentGone: 'document-gone',
} as const;
export type SnapshotOutcome = (typeof SnapshotOutcome)[keyof typeof SnapshotOutcome];

/**
 * The document's head is below the job's version: the operations are not
 * committed yet (a job queued by an owner whose commit failed, or read from a
 * replica that lags). Retryable: the job is tried again with backoff.
 */
export class SnapshotNotReadyError extends Error {
  constructor(
    readonly docId: string,
    readonly version: number,
    readonly head: number,
  ) {
    super(`document ${docId} is at version ${head}, below the snapshot version ${version}`);
    this.name = 'SnapshotNotReadyError';
  }
}

/** The operation log has a hole below head: a bug or a damaged database, never a client's doing. */
export class OperationLogGapError extends Error {
  constructor(docId: string, expected: number, got: number | undefined) {
    super(`document ${docId}: expected operation ${expected}, found ${got ?? 'nothing'}`);
    this.name = 'OperationLogGapError';
  }
}

const EMPTY_DOCUMENT: StoredDelta = [{ insert: '\n' }];

/**
 * Folds the newest snapshot at or below `version` and the operations after
 * it into the snapshot at `version`, and stores it unless one exists.
 *
 * Safe under at-least-once delivery: every worker that builds (document,
 * version) builds the same content from the same immutable log, and the insert
 * ignores a duplicate, so redeliveries and races leave exactly one row and
 * never replace one. Nothing is read from a snapshot above `version`, so a job
 * that runs late never depends on (or overwrites) newer snapshots.
 */
export class SnapshotBuilder {
  constructor(
    private readonly dataSource: DataSource,
    private readonly pageSize: number,
  ) {}

  async build(docId: string, version: number): Promise<SnapshotOutcome> {
    const manager = this.dataSource.manager;
    const rows: { head_version: string; deleted: boolean }[] = await manager.query(
      'SELECT head_version, deleted_at IS NOT NULL AS deleted FROM documents WHERE id = $1',
      [docId],
    );
    if (rows.length === 0 || rows[0].deleted) return SnapshotOutcome.DocumentGone;
    const head = Number(rows[0].head_version);
    if (head < version) throw new SnapshotNotReadyError(docId, version, head);

    const base = await latestSnapshot(manager, docId, version);
    if (base?.version === version) return SnapshotOutcome.Existed;

    const document = ServerDocument.fromDelta((base?.delta ?? EMPTY_DOCUMENT) as Op[]);
    let at = base?.version ?? 0;
    while (at < version) {
      const page = await loadOperationsAfter(manager, docId, at, Math.min(this.pageSize, version - at));
      if (page.length === 0) throw new OperationLogGapError(docId, at + 1, undefined);
      for (const operation of page) {
        if (operation.version !== at + 1) throw new OperationLogGapError(docId, at + 1, operation.version);
        // The log holds only operations validated against the document they applied to.
        document.apply(operation.delta as Op[]);
        at = operation.version;
      }
    }

    const delta = document.toDelta().ops as StoredDelta;
    let inserted: boolean;
    try {
      inserted = await insertSnapshotIfAbsent(manager, {
        documentId: docId,
        version,
        delta,
        html: renderDocumentHtml(delta),
        text: document.toText(),
      });
    } catch (error) {
      // Deleted (foreign key gone) between the check above and the insert.
      if (isForeignKeyViolation(error)) return SnapshotOutcome.DocumentGone;
      throw error;
    }
    return inserted ? SnapshotOutcome.Created : SnapshotOutcome.Existed;
  }
}

function isForeignKeyViolation(error: unknown): boolean {
  const driverError = (error as { driverError?: { code?: unknown } } | null)?.driverError;
  return driverError?.code === '23503';
}
