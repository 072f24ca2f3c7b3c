import {
  documentState,
  historyStateAtVersion,
  insertSnapshotIfAbsent,
  storeHistoryState,
  VersionUnavailableError,
} from '@collab/persistence';
import { renderDocumentHtml } from '@collab/rich-text';
import type { DataSource } from 'typeorm';

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
class SnapshotNotReadyError extends Error {
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
class OperationLogGapError extends Error {
  constructor(docId: string, expected: number, got: number | undefined) {
    super(`document ${docId}: expected operation ${expected}, found ${got ?? 'nothing'}`);
    this.name = 'OperationLogGapError';
  }
}

/**
 * Folds the newest snapshot at or below `version` (that has its attribution)
 * and the operations after it into the snapshot at `version`, its
 * attribution and the editing sessions up to it, and stores what is missing.
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
    const document = await documentState(manager, docId);
    if (document === null || document.deleted) return SnapshotOutcome.DocumentGone;
    const head = document.headVersion;
    if (head < version) throw new SnapshotNotReadyError(docId, version, head);

    // The newest snapshot at or below `version` that has its attribution, then
    // the operations after it: content, attribution and sessions in one pass
    // over the same operations (the content equals what contentAtVersion
    // composes for the doc-service and the gateway: both replay the same log).
    let state;
    try {
      state = await historyStateAtVersion(manager, docId, version, { pageSize: this.pageSize });
    } catch (error) {
      if (error instanceof VersionUnavailableError)
        throw new OperationLogGapError(docId, error.missing, undefined);
      throw error;
    }
    // Snapshot and attribution at exactly this version: already built.
    if (state.stored) return SnapshotOutcome.Existed;

    let inserted: boolean;
    try {
      // A snapshot made before attribution existed is kept as it is; only its attribution is added.
      inserted = await insertSnapshotIfAbsent(manager, {
        documentId: docId,
        version,
        delta: state.content,
        html: renderDocumentHtml(state.content),
        text: textOf(state.content),
      });
      await storeHistoryState(manager, docId, state);
    } catch (error) {
      // Deleted (foreign key gone) between the check above and the insert.
      if (isForeignKeyViolation(error)) return SnapshotOutcome.DocumentGone;
      throw error;
    }
    return inserted ? SnapshotOutcome.Created : SnapshotOutcome.Existed;
  }
}

/** The plain text of a document Delta, each embed as U+FFFC (as libs/ot's ChunkedDocument#toText). */
function textOf(delta: readonly { insert?: unknown }[]): string {
  let text = '';
  for (const op of delta) text += typeof op.insert === 'string' ? op.insert : '\ufffc';
  return text;
}

function isForeignKeyViolation(error: unknown): boolean {
  const driverError = (error as { driverError?: { code?: unknown } } | null)?.driverError;
  return driverError?.code === '23503';
}
