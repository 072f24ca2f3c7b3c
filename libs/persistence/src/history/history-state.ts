import { ChunkedDocument } from '@collab/ot';
import type { EntityManager } from 'typeorm';
import { loadOperationsAfter } from '../repositories/operation.repository';
import type { StoredDelta } from '../stored-delta';
import { bigintToNumber } from '../version';
import {
  type Attribution,
  AttributionBuilder,
  type AttributionSegment,
  type DeletionSegment,
  initialAttribution,
} from './attribution';
import { VersionUnavailableError } from './content-at-version';
import {
  foldSessions,
  INITIAL_SESSION_STATE,
  type SessionFold,
  type SessionOperation,
  type SessionState,
} from './sessions';

type DocumentOps = Parameters<typeof ChunkedDocument.fromDelta>[0];
type OperationOps = Parameters<ChunkedDocument['apply']>[0];

const EMPTY_DOCUMENT: StoredDelta = [{ insert: '\n' }];
const DEFAULT_PAGE_SIZE = 2000;

/**
 * Attribution as stored in jsonb: user ids once; segments flattened (length,
 * id, user index, time); deletions likewise in `deleted` (absent in rows
 * stored before deletions were recorded: their deleters are unknown).
 */
export interface StoredSegments {
  readonly users: string[];
  readonly runs: number[];
  readonly deleted?: number[];
}

/** Flattens segments and deletions for storage (about four numbers per place someone started typing or deleting). */
export function encodeSegments(
  segments: readonly AttributionSegment[],
  deletions: readonly DeletionSegment[] = [],
): StoredSegments {
  const users: string[] = [];
  const index = new Map<string, number>();
  const userIndex = (userId: string | null) => {
    if (userId === null) return -1;
    let u = index.get(userId);
    if (u === undefined) {
      u = users.length;
      users.push(userId);
      index.set(userId, u);
    }
    return u;
  };
  const runs: number[] = [];
  for (const s of segments) runs.push(s.length, s.id, userIndex(s.userId), s.time);
  const deleted: number[] = [];
  for (const d of deletions) deleted.push(d.length, d.id, userIndex(d.userId), d.time);
  return { users, runs, deleted };
}

export function decodeSegments(stored: StoredSegments): AttributionSegment[] {
  const segments: AttributionSegment[] = [];
  const { users, runs } = stored;
  for (let i = 0; i < runs.length; i += 4) {
    segments.push({
      length: runs[i],
      id: runs[i + 1],
      userId: runs[i + 2] < 0 ? null : users[runs[i + 2]],
      time: runs[i + 3],
    });
  }
  return segments;
}

/** The stored deletions (none for a row stored before they were recorded). */
export function decodeDeletions(stored: StoredSegments): DeletionSegment[] {
  const deletions: DeletionSegment[] = [];
  const { users, deleted = [] } = stored;
  for (let i = 0; i < deleted.length; i += 4) {
    deletions.push({
      length: deleted[i],
      id: deleted[i + 1],
      userId: users[deleted[i + 2]],
      time: deleted[i + 3],
    });
  }
  return deletions;
}

/** A document at one version with everything the history derives from the log. */
export interface HistoryState {
  readonly version: number;
  readonly content: StoredDelta;
  readonly attribution: Attribution;
  /** Sessions closed after the base row, and the state at `version`. */
  readonly sessions: SessionFold;
  /** The version of the stored attribution the fold started from (0: none, the empty document). */
  readonly baseVersion: number;
  /** Whether the base row's snapshot already existed at exactly `version` with its attribution. */
  readonly stored: boolean;
}

interface BaseRow {
  version: string;
  inserted_chars: string;
  segments: StoredSegments;
  session_state: SessionState;
  delta: StoredDelta;
}

/** When the document was created: the time of its initial "\n". */
async function createdAt(manager: EntityManager, documentId: string): Promise<number> {
  const rows: { created_at: Date }[] = await manager.query('SELECT created_at FROM documents WHERE id = $1', [
    documentId,
  ]);
  return rows[0]?.created_at.getTime() ?? 0;
}

/**
 * The content, attribution and session state of a document at `version`:
 * the newest snapshot at or below it that has its attribution, plus the
 * operations after it, folded in order (at most one snapshot interval while
 * the worker keeps up; the whole log before the worker's first job).
 *
 * @throws VersionUnavailableError when an operation at or below `version` is missing.
 */
export async function historyStateAtVersion(
  manager: EntityManager,
  documentId: string,
  version: number,
  options: { pageSize?: number } = {},
): Promise<HistoryState> {
  if (!Number.isSafeInteger(version) || version < 0) {
    throw new RangeError(`version must be an integer >= 0, got ${version}`);
  }
  const pageSize = options.pageSize ?? DEFAULT_PAGE_SIZE;
  const rows: BaseRow[] = await manager.query(
    `SELECT a.version, a.inserted_chars, a.segments, a.session_state, s.delta
       FROM snapshot_attributions a
       JOIN snapshots s ON s.document_id = a.document_id AND s.version = a.version
      WHERE a.document_id = $1 AND a.version <= $2
      ORDER BY a.version DESC LIMIT 1`,
    [documentId, version],
  );
  const base = rows[0];
  const baseVersion = base ? bigintToNumber(base.version) : 0;
  const start: Attribution = base
    ? {
        inserted: bigintToNumber(base.inserted_chars),
        segments: decodeSegments(base.segments),
        deletions: decodeDeletions(base.segments),
      }
    : initialAttribution(await createdAt(manager, documentId));
  const attribution = new AttributionBuilder(start);
  const document = ChunkedDocument.fromDelta((base?.delta ?? EMPTY_DOCUMENT) as DocumentOps);
  const sessionOps: SessionOperation[] = [];
  let at = baseVersion;
  while (at < version) {
    const page = await loadOperationsAfter(manager, documentId, at, Math.min(pageSize, version - at));
    if (page.length === 0) throw new VersionUnavailableError(documentId, version, at + 1);
    for (const operation of page) {
      if (operation.version !== at + 1) throw new VersionUnavailableError(documentId, version, at + 1);
      // Every operation in the log was validated against the document it applied to.
      document.apply(operation.delta as OperationOps);
      const time = operation.createdAt.getTime();
      attribution.apply({ delta: operation.delta, userId: operation.userId, time });
      sessionOps.push({
        version: operation.version,
        userId: operation.userId,
        time,
        restoredFrom: operation.restoredFrom ?? null,
      });
      at = operation.version;
    }
  }
  return {
    version,
    content: at === baseVersion && base ? base.delta : (document.toDelta().ops as StoredDelta),
    attribution: attribution.result(),
    sessions: foldSessions(base?.session_state ?? INITIAL_SESSION_STATE, sessionOps),
    baseVersion,
    stored: base !== undefined && baseVersion === version,
  };
}
