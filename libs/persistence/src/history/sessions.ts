/*
 * Editing sessions, folded from the operation log's metadata (who, when,
 * whether it was a restore). Pure, like the attribution fold: the worker
 * stores the sessions it folds with each snapshot, a reader folds only the
 * operations after the newest one.
 *
 * A new session starts
 *   - after a pause of more than SESSION_GAP_MS in the whole document;
 *   - when the set of active authors changes: someone writes who had not
 *     written in the last SESSION_GAP_MS (joins), or someone who had has now
 *     been silent for longer than that (left);
 *   - after a restore. A restore is an entry of its own (one version).
 * So sessions and restores partition versions 1..head: every version is in
 * exactly one entry, in order, without gaps.
 */

/**
 * Five minutes: pauses to think, read or answer a message (one to three
 * minutes) stay inside one sitting, and coming back after a coffee starts a
 * new one. The same window decides who is still "in" a session.
 */
export const SESSION_GAP_MS = 5 * 60_000;

/** What the session fold needs of one operation. */
export interface SessionOperation {
  readonly version: number;
  readonly userId: string;
  /** Epoch milliseconds of the commit. */
  readonly time: number;
  /** Set when the operation restored an older version. */
  readonly restoredFrom: number | null;
}

/** One entry of the partition: an editing session, or one restore. */
export interface EditingSession {
  readonly kind: 'session' | 'restore';
  readonly fromVersion: number;
  readonly toVersion: number;
  readonly startedAt: number;
  readonly endedAt: number;
  /** In the order they first wrote in the session. */
  readonly authorIds: readonly string[];
  /** For a restore: the version it restored. */
  readonly restoredFrom: number | null;
}

/** Where a fold stopped: the session still open and who wrote when, as stored with a snapshot. */
export interface SessionState {
  readonly open: EditingSession | null;
  /** Last write time of each author active at the end (within SESSION_GAP_MS of the last write). */
  readonly active: Readonly<Record<string, number>>;
}

export const INITIAL_SESSION_STATE: SessionState = { open: null, active: {} };

/** The result of a fold: sessions closed during it, and the state (with the open session) after it. */
export interface SessionFold {
  readonly closed: EditingSession[];
  readonly state: SessionState;
}

function sameKeys(a: Record<string, number>, b: Record<string, number>): boolean {
  const keys = Object.keys(a);
  return keys.length === Object.keys(b).length && keys.every((k) => k in b);
}

/** Folds `operations` (consecutive versions, in order) into `state`. */
export function foldSessions(state: SessionState, operations: Iterable<SessionOperation>): SessionFold {
  const closed: EditingSession[] = [];
  let open = state.open;
  let active: Record<string, number> = { ...state.active };
  for (const op of operations) {
    if (open && op.version !== open.toVersion + 1) {
      throw new RangeError(`session fold: version ${op.version} after ${open.toVersion}`);
    }
    if (op.restoredFrom !== null) {
      if (open) closed.push(open);
      closed.push({
        kind: 'restore',
        fromVersion: op.version,
        toVersion: op.version,
        startedAt: op.time,
        endedAt: op.time,
        authorIds: [op.userId],
        restoredFrom: op.restoredFrom,
      });
      open = null;
      active = {};
      continue;
    }
    const now: Record<string, number> = {};
    for (const [userId, last] of Object.entries(active)) {
      if (op.time - last <= SESSION_GAP_MS) now[userId] = last;
    }
    now[op.userId] = op.time;
    const paused = open !== null && op.time - open.endedAt > SESSION_GAP_MS;
    if (open === null || paused || !sameKeys(now, active)) {
      if (open) closed.push(open);
      open = {
        kind: 'session',
        fromVersion: op.version,
        toVersion: op.version,
        startedAt: op.time,
        endedAt: op.time,
        authorIds: [op.userId],
        restoredFrom: null,
      };
    } else {
      open = {
        ...open,
        toVersion: op.version,
        endedAt: Math.max(open.endedAt, op.time),
        authorIds: open.authorIds.includes(op.userId) ? open.authorIds : [...open.authorIds, op.userId],
      };
    }
    active = now;
  }
  return { closed, state: { open, active } };
}

/** Every entry a fold produced, oldest first: the closed ones, then the open one. */
export function sessionsOf(fold: SessionFold): EditingSession[] {
  return fold.state.open ? [...fold.closed, fold.state.open] : [...fold.closed];
}
