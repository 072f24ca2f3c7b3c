import type { EntityManager } from 'typeorm';
import { latestSnapshot } from '../repositories/snapshot.repository';
import type { StoredDelta } from '../stored-delta';
import { replayToVersion } from './replay-to-version';

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
  const replayed = await replayToVersion(
    manager,
    documentId,
    version,
    // Version 0 is the empty document: no snapshot needed.
    (atOrBelow) => (atOrBelow > 0 ? latestSnapshot(manager, documentId, atOrBelow) : Promise.resolve(null)),
    options,
  );
  if (replayed.document === null) {
    // A snapshot at exactly this version, with its text and rendering.
    const { text, html } = replayed.base;
    return { version, delta: replayed.delta, text, html, baseVersion: version, operationsRead: 0 };
  }
  const baseVersion = replayed.base?.version ?? 0;
  return {
    version,
    delta: replayed.delta,
    text: replayed.document.toText(),
    html: undefined,
    baseVersion,
    operationsRead: version - baseVersion,
  };
}
