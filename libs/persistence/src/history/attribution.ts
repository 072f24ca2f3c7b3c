import type { StoredDelta } from '../stored-delta';

/*
 * Who wrote each character of a document, folded from the operation log.
 * Pure: no I/O, no clock (times come with the operations), so the worker,
 * the gateway and the property tests run the very same fold.
 *
 * Every character ever inserted gets an id: the count of characters inserted
 * before it in log order (the initial "\n" of version 0 is id 0, the first
 * operation's inserted characters follow, in the order they appear in its
 * delta). Ids never repeat and deletes never move characters, so the
 * characters of a later version that were inserted at or before version V
 * appear in the same order as in V: that is what lets `diffVersions` match
 * two versions exactly without reading the operations between them.
 *
 * A segment is a run of characters with consecutive ids, one author, written
 * within ATTRIBUTION_TIME_STEP_MS of the segment's time. Typing forward
 * extends one segment, so a document stores about one segment per place
 * someone started typing, not one per character.
 */

/** Characters in a segment were written at most this long after its `time`. */
export const ATTRIBUTION_TIME_STEP_MS = 60_000;

/** A run of characters with consecutive ids, one author and (within a minute) one time. */
export interface AttributionSegment {
  readonly length: number;
  /** The id of the first character; the others follow: id + 1, id + 2, ... */
  readonly id: number;
  /** The author of the operation that inserted them; null for the "\n" every document starts with. */
  readonly userId: string | null;
  /** Epoch milliseconds of the operation that inserted the first character. */
  readonly time: number;
}

/**
 * Characters with consecutive ids deleted by one person (within
 * ATTRIBUTION_TIME_STEP_MS of `time`). A character is deleted at most once
 * (ids never come back), so these only grow: disjoint, sorted by id.
 */
export interface DeletionSegment {
  readonly length: number;
  readonly id: number;
  /** Who deleted them: the author of the deleting operation. */
  readonly userId: string;
  /** Epoch milliseconds of the operation that deleted the first character. */
  readonly time: number;
}

/** The authorship of a whole document at one version. */
export interface Attribution {
  /** Characters inserted so far, the initial "\n" included: the next id. */
  readonly inserted: number;
  /** Cover the document exactly, in order. */
  readonly segments: readonly AttributionSegment[];
  /**
   * Who deleted the characters deleted so far, by id. Empty for a history
   * stored before deletions were recorded (those deleters are unknown).
   */
  readonly deletions: readonly DeletionSegment[];
}

/** One operation as the fold needs it. */
export interface AttributedOperation {
  readonly delta: StoredDelta;
  readonly userId: string;
  /** Epoch milliseconds of the commit. */
  readonly time: number;
}

/** An author run of the public API: characters [from, to) written by userId from `time` on (see {@link authorRuns}). */
export interface AuthorRun {
  readonly from: number;
  readonly to: number;
  readonly userId: string | null;
  readonly time: number;
}

/** Thrown when an operation does not fit the document it is folded into (a damaged log). */
export class AttributionMismatchError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'AttributionMismatchError';
  }
}

/** Length of one delta component as Quill counts it (an embed is 1). */
export function insertLength(insert: string | Record<string, unknown>): number {
  return typeof insert === 'string' ? insert.length : 1;
}

/** The attribution of version 0: the lone "\n", written by nobody when the document was created. */
export function initialAttribution(createdAt: number): Attribution {
  return { inserted: 1, segments: [{ length: 1, id: 0, userId: null, time: createdAt }], deletions: [] };
}

/** The index of the first deletion segment whose ids end after `id` (binary search). */
function deletionIndex(deletions: readonly DeletionSegment[], id: number): number {
  let low = 0;
  let high = deletions.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if (deletions[mid].id + deletions[mid].length <= id) low = mid + 1;
    else high = mid;
  }
  return low;
}

/** The deletion segment holding `id`, else the first one after it (undefined past the last). */
export function deletionAtOrAfter(
  deletions: readonly DeletionSegment[],
  id: number,
): DeletionSegment | undefined {
  return deletions[deletionIndex(deletions, id)];
}

function canMerge(left: AttributionSegment, right: AttributionSegment): boolean {
  return (
    left.userId === right.userId &&
    left.id + left.length === right.id &&
    right.time >= left.time &&
    right.time - left.time <= ATTRIBUTION_TIME_STEP_MS
  );
}

/**
 * A mutable fold of operations into an {@link Attribution}. Finding a
 * position walks from where the previous edit was (a cursor), so typing in
 * one place costs O(1) per operation whatever the document's length.
 */
export class AttributionBuilder {
  private readonly segments: AttributionSegment[];
  private readonly deletions: DeletionSegment[];
  private inserted: number;
  /** segments[cursorIndex] starts at cursorPosition (cursorIndex may equal segments.length). */
  private cursorIndex = 0;
  private cursorPosition = 0;

  constructor(start: Attribution) {
    this.segments = [...start.segments];
    this.deletions = [...(start.deletions ?? [])];
    this.inserted = start.inserted;
  }

  /** The document length. */
  get length(): number {
    let total = 0;
    for (const segment of this.segments) total += segment.length;
    return total;
  }

  apply(operation: AttributedOperation): void {
    let position = 0;
    for (const component of operation.delta) {
      if (component.insert !== undefined) {
        const length = insertLength(component.insert);
        this.insertAt(position, {
          length,
          id: this.inserted,
          userId: operation.userId,
          time: operation.time,
        });
        this.inserted += length;
        position += length;
      } else if (typeof component.delete === 'number') {
        this.deleteAt(position, component.delete, operation);
      } else if (typeof component.retain === 'number') {
        // Formats do not change who wrote a character.
        position += component.retain;
      } else if (component.retain !== undefined) {
        position += 1;
      }
    }
  }

  result(): Attribution {
    return { inserted: this.inserted, segments: [...this.segments], deletions: [...this.deletions] };
  }

  /** Moves the cursor to the segment that starts at `position`, splitting one if needed. */
  private boundaryAt(position: number): number {
    const segments = this.segments;
    while (this.cursorPosition > position) {
      this.cursorIndex--;
      this.cursorPosition -= segments[this.cursorIndex].length;
    }
    while (
      this.cursorIndex < segments.length &&
      this.cursorPosition + segments[this.cursorIndex].length <= position
    ) {
      this.cursorPosition += segments[this.cursorIndex].length;
      this.cursorIndex++;
    }
    if (this.cursorPosition === position) return this.cursorIndex;
    if (this.cursorIndex === segments.length) {
      throw new AttributionMismatchError(`position ${position} is past the end (${this.cursorPosition})`);
    }
    const segment = segments[this.cursorIndex];
    const offset = position - this.cursorPosition;
    segments.splice(
      this.cursorIndex,
      1,
      { ...segment, length: offset },
      { ...segment, length: segment.length - offset, id: segment.id + offset },
    );
    this.cursorIndex++;
    this.cursorPosition = position;
    return this.cursorIndex;
  }

  private insertAt(position: number, segment: AttributionSegment): void {
    const index = this.boundaryAt(position);
    const previous = index > 0 ? this.segments[index - 1] : undefined;
    if (previous && canMerge(previous, segment)) {
      this.segments[index - 1] = { ...previous, length: previous.length + segment.length };
      // The merged segment starts before `position`; the next one starts after the insert.
      this.cursorPosition = position + segment.length;
      return;
    }
    this.segments.splice(index, 0, segment);
    this.cursorIndex = index + 1;
    this.cursorPosition = position + segment.length;
  }

  private deleteAt(position: number, count: number, by: AttributedOperation): void {
    const start = this.boundaryAt(position);
    const end = this.boundaryAt(position + count);
    for (const gone of this.segments.splice(start, end - start)) {
      this.recordDeletion({ length: gone.length, id: gone.id, userId: by.userId, time: by.time });
    }
    this.cursorIndex = start;
    this.cursorPosition = position;
    // Deleting what split a segment (a character typed into it, then removed) joins it again.
    const previous = start > 0 ? this.segments[start - 1] : undefined;
    const next = this.segments[start];
    if (previous && next && canMerge(previous, next)) {
      this.segments.splice(start - 1, 2, { ...previous, length: previous.length + next.length });
      this.cursorIndex = start - 1;
      this.cursorPosition = position - previous.length;
    }
  }

  /**
   * Adds a deletion in id order, joined with its neighbours when they are one
   * person's with adjacent ids, keeping every character of a segment deleted
   * within ATTRIBUTION_TIME_STEP_MS after its `time`. `deletion` is the newest
   * (log order), all of it at `deletion.time`; backspacing joins the segment
   * after it, deleting forward the one before.
   */
  private recordDeletion(deletion: DeletionSegment): void {
    const deletions = this.deletions;
    const index = deletionIndex(deletions, deletion.id);
    const adjacent = (left: DeletionSegment, right: DeletionSegment) =>
      left.userId === right.userId && left.id + left.length === right.id;
    const previous = index > 0 ? deletions[index - 1] : undefined;
    const next = deletions[index];
    let merged = deletion;
    let from = index;
    let to = index;
    if (previous && adjacent(previous, merged) && merged.time - previous.time <= ATTRIBUTION_TIME_STEP_MS) {
      merged = { ...previous, length: previous.length + merged.length };
      from = index - 1;
    }
    // Joined with `previous`, the segment spans up to a time step already: only the same time may join.
    const fits =
      next &&
      (from === index ? merged.time - next.time <= ATTRIBUTION_TIME_STEP_MS : next.time === merged.time);
    if (next && fits && adjacent(merged, next)) {
      merged = { ...merged, length: merged.length + next.length, time: Math.min(merged.time, next.time) };
      to = index + 1;
    }
    deletions.splice(from, to - from, merged);
  }
}

/** Folds `operations`, in version order, into `start`. */
export function foldAttribution(start: Attribution, operations: Iterable<AttributedOperation>): Attribution {
  const builder = new AttributionBuilder(start);
  for (const operation of operations) builder.apply(operation);
  return builder.result();
}

/**
 * The author runs of the public API: an author's adjacent segments whose
 * times are at most ATTRIBUTION_TIME_STEP_MS after the run's time are one
 * run (ids do not matter to a reader), so every character of a run was
 * written between `time` and `time` + 2 x ATTRIBUTION_TIME_STEP_MS. The runs
 * cover [0, length) exactly, in order.
 */
export function authorRuns(attribution: Attribution): AuthorRun[] {
  const runs: { from: number; to: number; userId: string | null; time: number }[] = [];
  let position = 0;
  for (const segment of attribution.segments) {
    const last = runs[runs.length - 1];
    if (
      last &&
      last.userId === segment.userId &&
      segment.time >= last.time &&
      segment.time - last.time <= ATTRIBUTION_TIME_STEP_MS
    ) {
      last.to += segment.length;
    } else {
      runs.push({
        from: position,
        to: position + segment.length,
        userId: segment.userId,
        time: segment.time,
      });
    }
    position += segment.length;
  }
  return runs;
}
