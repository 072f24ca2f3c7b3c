import type { EntityManager } from 'typeorm';
import type { StoredDelta } from '../stored-delta';
import { bigintToNumber } from '../version';
import {
  type Attribution,
  AttributionBuilder,
  type AttributionSegment,
  type DeletionSegment,
  initialAttribution,
} from './attribution';
import { replayToVersion } from './replay-to-version';
import {
  foldSessions,
  INITIAL_SESSION_STATE,
  type SessionFold,
  type SessionOperation,
  type SessionState,
} from './sessions';

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
 * @throws RangeError for a version that is not a non-negative safe integer.
 */
export async function historyStateAtVersion(
  manager: EntityManager,
  documentId: string,
  version: number,
  options: { pageSize?: number } = {},
): Promise<HistoryState> {
  const sessionOps: SessionOperation[] = [];
  // Replaced by the base's attribution before the first operation is folded.
  let attribution = new AttributionBuilder(initialAttribution(0));
  const { base, delta } = await replayToVersion(
    manager,
    documentId,
    version,
    async (atOrBelow) => {
      const rows: BaseRow[] = await manager.query(
        `SELECT a.version, a.inserted_chars, a.segments, a.session_state, s.delta
           FROM snapshot_attributions a
           JOIN snapshots s ON s.document_id = a.document_id AND s.version = a.version
          WHERE a.document_id = $1 AND a.version <= $2
          ORDER BY a.version DESC LIMIT 1`,
        [documentId, atOrBelow],
      );
      const row = rows[0];
      const start: Attribution = row
        ? {
            inserted: bigintToNumber(row.inserted_chars),
            segments: decodeSegments(row.segments),
            deletions: decodeDeletions(row.segments),
          }
        : initialAttribution(await createdAt(manager, documentId));
      attribution = new AttributionBuilder(start);
      return row ? { ...row, version: bigintToNumber(row.version) } : null;
    },
    {
      ...options,
      onOperation: (operation) => {
        const time = operation.createdAt.getTime();
        attribution.apply({ delta: operation.delta, userId: operation.userId, time });
        sessionOps.push({
          version: operation.version,
          userId: operation.userId,
          time,
          restoredFrom: operation.restoredFrom ?? null,
        });
      },
    },
  );
  const baseVersion = base?.version ?? 0;
  return {
    version,
    content: delta,
    attribution: attribution.result(),
    sessions: foldSessions(base?.session_state ?? INITIAL_SESSION_STATE, sessionOps),
    baseVersion,
    stored: base !== null && baseVersion === version,
  };
}
