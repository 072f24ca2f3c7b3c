import { ChunkedDocument } from '@collab/ot';
import type { EntityManager } from 'typeorm';
import { loadOperationsAfter, type StoredOperation } from '../repositories/operation.repository';
import type { StoredDelta } from '../stored-delta';
import { VersionUnavailableError } from './version-unavailable.error';

/** The ops types of libs/ot, named without importing quill-delta (a libs/ot dependency, not ours). */
type DocumentOps = Parameters<typeof ChunkedDocument.fromDelta>[0];
type OperationOps = Parameters<ChunkedDocument['apply']>[0];

/** The empty document: one newline, as every document ends with one. */
const EMPTY_DOCUMENT: StoredDelta = [{ insert: '\n' }];

/** Operations read per query while composing a version. */
const DEFAULT_PAGE_SIZE = 2000;

/** A stored state to start a replay from: the document at `version`. */
export interface ReplayBase {
  readonly version: number;
  readonly delta: StoredDelta;
}

/**
 * A base and the tail of the log folded onto it: `document` is null when the
 * base is at exactly the version asked for (nothing was replayed); `delta` is
 * the content at that version either way.
 */
export type Replayed<B extends ReplayBase> =
  | { readonly base: B; readonly delta: StoredDelta; readonly document: null }
  | {
      /** Null: the replay started from the empty document at version 0. */
      readonly base: B | null;
      readonly delta: StoredDelta;
      readonly document: ChunkedDocument;
    };

/**
 * A document at `version`: the nearest stored base at or below it (what
 * `nearestBase` reads: a snapshot, or a snapshot with its attribution), then
 * the operations after that base up to `version`, applied in order, each
 * also shown to `onOperation`. Snapshots are immutable and equal a replay of
 * the log, and the log is append-only, so the result is the same whichever
 * base it starts from; the nearest one bounds the work.
 *
 * @throws RangeError for a version that is not a non-negative safe integer (before any read).
 * @throws VersionUnavailableError when an operation at or below `version` is missing.
 */
export async function replayToVersion<B extends ReplayBase>(
  manager: EntityManager,
  documentId: string,
  version: number,
  nearestBase: (atOrBelow: number) => Promise<B | null>,
  options: { pageSize?: number; onOperation?: (operation: StoredOperation) => void } = {},
): Promise<Replayed<B>> {
  if (!Number.isSafeInteger(version) || version < 0) {
    throw new RangeError(`version must be an integer >= 0, got ${version}`);
  }
  const base = await nearestBase(version);
  if (base && base.version === version) return { base, delta: base.delta, document: null };
  const pageSize = options.pageSize ?? DEFAULT_PAGE_SIZE;
  const document = ChunkedDocument.fromDelta((base?.delta ?? EMPTY_DOCUMENT) as DocumentOps);
  let at = base?.version ?? 0;
  while (at < version) {
    const page = await loadOperationsAfter(manager, documentId, at, Math.min(pageSize, version - at));
    if (page.length === 0) throw new VersionUnavailableError(documentId, version, at + 1);
    for (const operation of page) {
      if (operation.version !== at + 1) throw new VersionUnavailableError(documentId, version, at + 1);
      // Every operation in the log was validated against the document it applied to.
      document.apply(operation.delta as OperationOps);
      options.onOperation?.(operation);
      at = operation.version;
    }
  }
  return { base, delta: document.toDelta().ops as StoredDelta, document };
}
