import { ChunkedDocument } from '@collab/ot';
import type { EntityManager } from 'typeorm';
import { loadOperationsAfter } from '../repositories/operation.repository';
import { latestSnapshot } from '../repositories/snapshot.repository';
import type { StoredDelta } from '../stored-delta';

/** The ops types of libs/ot, named without importing quill-delta (a libs/ot dependency, not ours). */
type DocumentOps = Parameters<typeof ChunkedDocument.fromDelta>[0];
type OperationOps = Parameters<ChunkedDocument['apply']>[0];

/** The empty document: one newline, as every document ends with one. */
const EMPTY_DOCUMENT: StoredDelta = [{ insert: '\n' }];

/** Operations read per query while composing a version. */
const DEFAULT_PAGE_SIZE = 2000;

/** A document's content at one version, and what it took to compose it. */
export interface ContentAtVersion {
  readonly version: number;
  /** The Delta ops array (inserts only, ending in "\n"). */
  readonly delta: StoredDelta;
  /** The plain text. */
  readonly text: string;
  /** The snapshot's sanitized HTML when a snapshot exists at exactly this version (nothing to render). */
  readonly html: string | undefined;
  /** The version of the snapshot the composition started from (0: the empty document). */
  readonly baseVersion: number;
  /** How many operations were read from the log (version - baseVersion). */
  readonly operationsRead: number;
}

/**
 * The log does not hold every operation up to the version asked for: the
 * version is above the document's head (the caller should have checked), or
 * the log has a hole, which is a bug or a damaged database.
 */
export class VersionUnavailableError extends Error {
  constructor(
    readonly documentId: string,
    readonly version: number,
    readonly missing: number,
  ) {
    super(
      `document ${documentId}: operation ${missing} is missing, so version ${version} cannot be composed`,
    );
    this.name = 'VersionUnavailableError';
  }
}

/**
 * Composes the content of a document at `version`: the newest snapshot at or
 * below it, then the operations after that snapshot up to `version`, applied
 * in order. Snapshots are immutable and equal a replay of the log (the
 * worker builds them from it), and the log is append-only, so the result is
 * the same whichever snapshot it starts from; starting from the nearest one
 * bounds the work to fewer than one snapshot interval of operations when the
 * worker keeps up.
 *
 * The doc-service uses it to compute a restore, the gateway to serve and
 * export past versions, so both see exactly the same content.
 *
 * @throws VersionUnavailableError when an operation at or below `version` is missing.
 * @throws RangeError for a version that is not a non-negative safe integer.
 */
export async function contentAtVersion(
  manager: EntityManager,
  documentId: string,
  version: number,
  options: { pageSize?: number } = {},
): Promise<ContentAtVersion> {
  if (!Number.isSafeInteger(version) || version < 0) {
    throw new RangeError(`version must be an integer >= 0, got ${version}`);
  }
  const pageSize = options.pageSize ?? DEFAULT_PAGE_SIZE;
  const snapshot = version > 0 ? await latestSnapshot(manager, documentId, version) : null;
  const baseVersion = snapshot?.version ?? 0;
  if (snapshot && snapshot.version === version) {
    return {
      version,
      delta: snapshot.delta,
      text: snapshot.text,
      html: snapshot.html,
      baseVersion,
      operationsRead: 0,
    };
  }
  const document = ChunkedDocument.fromDelta((snapshot?.delta ?? EMPTY_DOCUMENT) as DocumentOps);
  let at = baseVersion;
  while (at < version) {
    const page = await loadOperationsAfter(manager, documentId, at, Math.min(pageSize, version - at));
    if (page.length === 0) throw new VersionUnavailableError(documentId, version, at + 1);
    for (const operation of page) {
      if (operation.version !== at + 1) throw new VersionUnavailableError(documentId, version, at + 1);
      // Every operation in the log was validated against the document it applied to.
      document.apply(operation.delta as OperationOps);
      at = operation.version;
    }
  }
  return {
    version,
    delta: document.toDelta().ops as StoredDelta,
    text: document.toText(),
    html: undefined,
    baseVersion,
    operationsRead: version - baseVersion,
  };
}
