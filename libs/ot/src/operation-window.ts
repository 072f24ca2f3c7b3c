import { type default as Delta } from 'quill-delta';
import { OtErrorCode, otError, type OtResult } from './errors';

/*
 * Version convention (the same everywhere in the system):
 *   - a document at version v has had exactly v operations applied to the
 *     empty document "\n" (version 0);
 *   - the operation committed as version v is the one that took the document
 *     from v - 1 to v;
 *   - a client operation made on version `baseVersion` is transformed against
 *     the committed operations baseVersion + 1 .. head, in order, and is then
 *     committed as head + 1.
 * So `since(head)` is the empty list (nothing to transform against), and
 * `since(head - k)` is the last k committed operations.
 */

/** A committed operation with its version (see the version convention above). */
export interface VersionedOp {
  readonly version: number;
  readonly op: Delta;
}

function isVersion(value: number): boolean {
  return Number.isSafeInteger(value) && value >= 0;
}

/**
 * Transforms an incoming operation against the operations committed since its
 * base version, oldest first. Committed operations win ties (`transform(op,
 * true)`): they are already in the document, so at an equal position their
 * inserts stay first. Pure; the input must be a well-formed operation (from
 * `parseOp`). The result still has to be checked with `validateOp` against the
 * head document before it is applied.
 *
 * It goes one committed op at a time on purpose. Transforming against the
 * composition of the committed ops is not equivalent in quill-delta: when a
 * committed op inserts text that wins a tie with the incoming insert and a
 * later committed op deletes that text, the composition has forgotten the
 * tie, and the incoming insert lands elsewhere than on clients, which receive
 * and transform committed ops one at a time (see operation-window.spec.ts).
 */
export function transformAgainstHistory(op: Delta, concurrent: readonly Delta[]): Delta {
  let result = op;
  for (let i = 0; i < concurrent.length; i++) result = concurrent[i].transform(result, true);
  return result;
}

/**
 * Picks the operations baseVersion + 1 .. headVersion out of an explicit list
 * (for instance rows loaded from the database), checking that the list holds
 * every one of them in order. Never throws.
 *
 * Codes: VERSION_AHEAD when baseVersion > headVersion; VERSION_TOO_OLD when the
 * list does not reach back to baseVersion + 1 (or has a gap); INVALID_OP when
 * baseVersion is not a non-negative integer.
 */
export function opsSince(
  history: readonly VersionedOp[],
  baseVersion: number,
  headVersion: number,
): OtResult<readonly Delta[]> {
  if (!isVersion(baseVersion))
    return otError(OtErrorCode.INVALID_OP, 'baseVersion must be a non-negative integer');
  if (baseVersion > headVersion) {
    return otError(
      OtErrorCode.VERSION_AHEAD,
      `base version ${baseVersion} is ahead of head version ${headVersion}`,
    );
  }
  const wanted = headVersion - baseVersion;
  if (wanted === 0) return { ok: true, value: [] };
  // Versions in the list are consecutive when it is complete, so the first wanted one sits at a known offset.
  const first = history.length === 0 ? -1 : baseVersion + 1 - history[0].version;
  if (first < 0 || first + wanted > history.length) {
    return otError(OtErrorCode.VERSION_TOO_OLD, `operations after version ${baseVersion} are not available`);
  }
  const ops: Delta[] = new Array<Delta>(wanted);
  for (let i = 0; i < wanted; i++) {
    const entry = history[first + i];
    if (entry.version !== baseVersion + 1 + i) {
      return otError(
        OtErrorCode.VERSION_TOO_OLD,
        `version ${baseVersion + 1 + i} is missing from the history`,
      );
    }
    ops[i] = entry.op;
  }
  return { ok: true, value: ops };
}

/**
 * {@link opsSince} then {@link transformAgainstHistory}: the op made at
 * baseVersion, rewritten to apply at headVersion. Never throws on version
 * problems (returns their codes).
 */
export function transformSince(
  op: Delta,
  baseVersion: number,
  headVersion: number,
  history: readonly VersionedOp[],
): OtResult<Delta> {
  const ops = opsSince(history, baseVersion, headVersion);
  return ops.ok ? { ok: true, value: transformAgainstHistory(op, ops.value) } : ops;
}

/** Options for {@link OperationWindow}. */
export interface OperationWindowOptions {
  /** How many of the latest committed operations to keep (a positive integer). */
  readonly capacity: number;
  /** The version of the document when the window is created (default 0). */
  readonly headVersion?: number;
  /**
   * The latest committed operations, oldest first, ending with the one that
   * produced headVersion (for instance loaded from the database on start).
   * Only the last `capacity` are kept.
   */
  readonly recent?: readonly Delta[];
}

/**
 * The most recent committed operations of one document, in memory, in a ring
 * buffer of fixed capacity. A doc-service actor keeps one per open document;
 * when a client is further behind than the window reaches, `since` answers
 * VERSION_TOO_OLD and the actor loads the older operations from the database
 * (then uses {@link opsSince} or {@link transformSince} on that list).
 *
 * Each entry may carry a value of type `M` beside its operation (a
 * doc-service keeps who submitted it, so that the window can answer its
 * dedupe question too); the window never looks inside it.
 */
export class OperationWindow<M = undefined> {
  private readonly ring: (Delta | undefined)[];
  private readonly meta: (M | undefined)[];
  private head: number;
  private count = 0;
  /** Ring index of the operation of version head (valid when count > 0). */
  private last = -1;

  /** @throws RangeError when capacity or headVersion is not a valid number (a configuration bug). */
  constructor(options: OperationWindowOptions) {
    const { capacity, headVersion = 0, recent = [] } = options;
    if (!Number.isSafeInteger(capacity) || capacity < 1)
      throw new RangeError('capacity must be a positive integer');
    if (!isVersion(headVersion)) throw new RangeError('headVersion must be a non-negative integer');
    if (recent.length > headVersion) throw new RangeError('more recent operations than versions');
    this.ring = new Array<Delta | undefined>(capacity).fill(undefined);
    this.meta = new Array<M | undefined>(capacity).fill(undefined);
    this.head = headVersion - recent.length;
    for (const op of recent) this.push(op);
  }

  /** The version of the document after the latest committed operation. */
  get headVersion(): number {
    return this.head;
  }

  /** The most operations the window keeps. */
  get capacity(): number {
    return this.ring.length;
  }

  /** How many operations the window holds now (at most capacity). */
  get size(): number {
    return this.count;
  }

  /** The oldest base version `since` can serve: head - size. */
  get oldestBaseVersion(): number {
    return this.head - this.count;
  }

  /** Records the next committed operation (and what the caller keeps with it); returns its version (the new head). */
  push(op: Delta, meta?: M): number {
    this.last = (this.last + 1) % this.ring.length;
    this.ring[this.last] = op;
    this.meta[this.last] = meta;
    if (this.count < this.ring.length) this.count++;
    this.head++;
    return this.head;
  }

  /** The committed operation of `version`, when the window still holds it. */
  get(version: number): Delta | undefined {
    const back = this.head - version;
    if (!Number.isSafeInteger(back) || back < 0 || back >= this.count) return undefined;
    return this.ring[(this.last - back + this.ring.length) % this.ring.length];
  }

  /**
   * The newest entry whose value `matches`, with its version, searching every
   * operation the window holds (versions oldestBaseVersion + 1 .. head) from
   * the newest back; undefined when none does. Entries pushed without a value
   * are skipped. A linear scan: it is for questions asked once per client
   * (the window is at most a few thousand entries), not per operation applied.
   */
  findLatest(matches: (meta: M, version: number) => boolean): { version: number; meta: M } | undefined {
    const size = this.ring.length;
    for (let back = 0; back < this.count; back++) {
      const meta = this.meta[(this.last - back + size) % size];
      const version = this.head - back;
      if (meta !== undefined && matches(meta, version)) return { version, meta };
    }
    return undefined;
  }

  /**
   * The operations of versions baseVersion + 1 .. head, oldest first. Never
   * throws. Codes: VERSION_AHEAD (baseVersion > head), VERSION_TOO_OLD (older
   * than the window keeps: load them from the database), INVALID_OP
   * (baseVersion is not a non-negative integer).
   */
  since(baseVersion: number): OtResult<readonly Delta[]> {
    if (!isVersion(baseVersion))
      return otError(OtErrorCode.INVALID_OP, 'baseVersion must be a non-negative integer');
    if (baseVersion > this.head) {
      return otError(
        OtErrorCode.VERSION_AHEAD,
        `base version ${baseVersion} is ahead of head version ${this.head}`,
      );
    }
    const wanted = this.head - baseVersion;
    if (wanted > this.count) {
      return otError(
        OtErrorCode.VERSION_TOO_OLD,
        `base version ${baseVersion} is older than the window (oldest base ${this.oldestBaseVersion})`,
      );
    }
    const ops = new Array<Delta>(wanted);
    const size = this.ring.length;
    for (let i = 0; i < wanted; i++) {
      ops[i] = this.ring[(this.last - (wanted - 1 - i) + size) % size] as Delta;
    }
    return { ok: true, value: ops };
  }

  /** {@link since} then {@link transformAgainstHistory}. */
  transformSince(op: Delta, baseVersion: number): OtResult<Delta> {
    const ops = this.since(baseVersion);
    return ops.ok ? { ok: true, value: transformAgainstHistory(op, ops.value) } : ops;
  }
}
