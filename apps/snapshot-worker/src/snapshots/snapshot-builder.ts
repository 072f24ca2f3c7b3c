import {
  AnchorLogGapError,
  anchorsAtVersion,
  documentState,
  historyStateAtVersion,
  insertSnapshotIfAbsent,
  listThreadPlaces,
  storeHistoryState,
  storeMovedAnchors,
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
 *
 * In the same job it moves the document's comment anchors to `version`
 * (docs/architecture.md 14.1): each thread's anchor is stored with the
 * version it holds at, and reading the threads moves them through the
 * operations after it; moving them here too bounds that read to the
 * operations since the newest snapshot, however long nobody read the
 * comments. Moving is forwards only and a pure function of the stored anchor
 * and the log, so a late, duplicate or racing job stores the same anchors or
 * nothing; it runs on the `existed` path too, so a retry after a failed move
 * still moves them.
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
    if (state.stored) {
      await this.moveAnchors(docId, version);
      return SnapshotOutcome.Existed;
    }

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
      await this.moveAnchors(docId, version);
    } catch (error) {
      // Deleted (foreign key gone) between the check above and the insert.
      if (isForeignKeyViolation(error)) return SnapshotOutcome.DocumentGone;
      throw error;
    }
    return inserted ? SnapshotOutcome.Created : SnapshotOutcome.Existed;
  }

  /** Moves the threads' anchors that hold below `version` to it, and stores them; answers how many moved. */
  private async moveAnchors(docId: string, version: number): Promise<number> {
    const manager = this.dataSource.manager;
    const behind = (await listThreadPlaces(manager, docId)).filter((t) => t.anchor.version < version);
    if (behind.length === 0) return 0;
    let moved;
    try {
      moved = await anchorsAtVersion(manager, docId, new Map(behind.map((t) => [t.id, t.anchor])), version, {
        pageSize: this.pageSize,
      });
    } catch (error) {
      if (error instanceof AnchorLogGapError) throw new OperationLogGapError(docId, error.missing, undefined);
      throw error;
    }
    return storeMovedAnchors(
      manager,
      [...moved].map(([threadId, anchor]) => ({ threadId, anchor })),
    );
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
