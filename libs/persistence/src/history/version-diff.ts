import type { StoredDelta, StoredDeltaOp } from '../stored-delta';
import {
  type Attribution,
  AttributionMismatchError,
  type AttributionSegment,
  deletionAtOrAfter,
  insertLength,
} from './attribution';

/** What one component of a diff does, for a reader (parallel to the diff's ops). */
export type DiffChange =
  | { readonly kind: 'retain' }
  /** The characters stayed; their formats changed (the retain's attributes say how). */
  | { readonly kind: 'format' }
  /** Inserted between the two versions by `userId` at `time`. */
  | { readonly kind: 'insert'; readonly userId: string | null; readonly time: number }
  /**
   * Present in the older version and gone in the newer; written by `userId`
   * at `time`, deleted by `deletedBy` at `deletedTime` (null when the
   * history predates recording deletions).
   */
  | {
      readonly kind: 'delete';
      readonly userId: string | null;
      readonly time: number;
      readonly deletedBy: string | null;
      readonly deletedTime: number | null;
      /** The deleted content, formats included, as a reader shows it struck through. */
      readonly deleted: StoredDelta;
    };

/** The changes from one version to another: `ops` turns the older into the newer. */
export interface VersionDiffResult {
  readonly ops: StoredDelta;
  /** changes[i] describes ops[i]. */
  readonly changes: DiffChange[];
}

/** One side of a diff: a version's content and its attribution. */
export interface DiffSide {
  readonly content: StoredDelta;
  readonly attribution: Attribution;
}

/** Reads a document Delta (inserts only) a given number of characters at a time. */
class ContentCursor {
  private index = 0;
  private offset = 0;

  constructor(private readonly ops: StoredDelta) {}

  /** Characters left in the current component. */
  peekLength(): number {
    const op = this.ops[this.index];
    if (op?.insert === undefined) throw new AttributionMismatchError('content shorter than its attribution');
    return insertLength(op.insert) - this.offset;
  }

  /** The next `length` characters (at most the current component's rest) as one insert. */
  takeOne(length: number): StoredDeltaOp {
    const op = this.ops[this.index];
    const rest = this.peekLength();
    if (length > rest) throw new RangeError('takeOne past a component');
    const insert = op.insert as string | Record<string, unknown>;
    const piece: StoredDeltaOp = {
      insert: typeof insert === 'string' ? insert.slice(this.offset, this.offset + length) : insert,
    };
    if (op.attributes && Object.keys(op.attributes).length > 0) piece.attributes = op.attributes;
    this.offset += length;
    if (this.offset === insertLength(insert)) {
      this.index++;
      this.offset = 0;
    }
    return piece;
  }

  /** The next `length` characters as inserts, split where formats change. */
  take(length: number): StoredDelta {
    const pieces: StoredDelta = [];
    while (length > 0) {
      const n = Math.min(length, this.peekLength());
      pieces.push(this.takeOne(n));
      length -= n;
    }
    return pieces;
  }
}

/** Reads segments a given number of characters at a time. */
class SegmentCursor {
  private index = 0;
  private offset = 0;

  constructor(private readonly segments: readonly AttributionSegment[]) {}

  /** The rest of the current segment, or undefined at the end. */
  peek(): AttributionSegment | undefined {
    const segment = this.segments[this.index];
    if (!segment) return undefined;
    return { ...segment, id: segment.id + this.offset, length: segment.length - this.offset };
  }

  advance(length: number): void {
    this.offset += length;
    if (this.offset === this.segments[this.index].length) {
      this.index++;
      this.offset = 0;
    }
  }
}

function sameValue(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  // Attribute values are scalars today; compare anything else structurally.
  return typeof a === 'object' && typeof b === 'object' && JSON.stringify(a) === JSON.stringify(b);
}

/** The retain attributes that turn formats `before` into `after` (null removes one), or undefined. */
function formatChange(
  before: Record<string, unknown> | undefined,
  after: Record<string, unknown> | undefined,
): Record<string, unknown> | undefined {
  const change: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(after ?? {})) {
    if (!sameValue(before?.[key], value)) change[key] = value;
  }
  for (const key of Object.keys(before ?? {})) {
    if (after?.[key] === undefined) change[key] = null;
  }
  return Object.keys(change).length > 0 ? change : undefined;
}

/**
 * The diff from version `from` to version `to` of one document, built from
 * both versions' content and attribution only (no operation in between is
 * read). A character of `to` whose id is below `from.attribution.inserted`
 * existed in `from` (ids are never reused and deleted characters never come
 * back), and those characters appear in `to` in the order they had in
 * `from`; so one merge of the two segment lists finds every character
 * kept, deleted and inserted, exactly, in O(segments + format runs).
 *
 * The ops are split so that every insert and delete has one author: a
 * reader colours `ops[i]` with `changes[i]` and can show deleted text
 * struck through. Applying `ops` to `from.content` gives `to.content`.
 *
 * @throws AttributionMismatchError when the two sides cannot come from one log.
 */
export function diffVersions(from: DiffSide, to: DiffSide): VersionDiffResult {
  const ops: StoredDeltaOp[] = [];
  const changes: DiffChange[] = [];
  const push = (op: StoredDeltaOp, change: DiffChange) => {
    const last = ops.length - 1;
    // Plain retains in a row are one retain.
    if (last >= 0 && change.kind === 'retain' && changes[last].kind === 'retain' && !op.attributes) {
      ops[last] = { retain: (ops[last].retain as number) + (op.retain as number) };
      return;
    }
    ops.push(op);
    changes.push(change);
  };
  const known = from.attribution.inserted;
  const fromContent = new ContentCursor(from.content);
  const toContent = new ContentCursor(to.content);
  const fromSegments = new SegmentCursor(from.attribution.segments);
  const toSegments = new SegmentCursor(to.attribution.segments);

  for (;;) {
    const kept = fromSegments.peek();
    const now = toSegments.peek();
    if (now && now.id >= known) {
      // Inserted after `from`.
      for (const piece of toContent.take(now.length)) {
        push(piece, { kind: 'insert', userId: now.userId, time: now.time });
      }
      toSegments.advance(now.length);
    } else if (kept && now && kept.id === now.id) {
      // In both versions: retained, maybe with new formats.
      let length = Math.min(kept.length, now.length);
      fromSegments.advance(length);
      toSegments.advance(length);
      while (length > 0) {
        const n = Math.min(length, fromContent.peekLength(), toContent.peekLength());
        const before = fromContent.takeOne(n);
        const after = toContent.takeOne(n);
        const attributes = formatChange(before.attributes, after.attributes);
        if (attributes) push({ retain: n, attributes }, { kind: 'format' });
        else push({ retain: n }, { kind: 'retain' });
        length -= n;
      }
    } else if (kept) {
      // Gone from `to`: up to the next character that survives, if it is in this segment,
      // and up to the end of what one person deleted (so each delete has one deleter).
      let length = now && now.id > kept.id && now.id < kept.id + kept.length ? now.id - kept.id : kept.length;
      const found = deletionAtOrAfter(to.attribution.deletions, kept.id);
      const deletion = found && found.id <= kept.id ? found : undefined;
      if (deletion) length = Math.min(length, deletion.id + deletion.length - kept.id);
      // An unknown deleter (a history stored before deletions were recorded): up to the next known one.
      else if (found && found.id < kept.id + length) length = found.id - kept.id;
      push(
        { delete: length },
        {
          kind: 'delete',
          userId: kept.userId,
          time: kept.time,
          deletedBy: deletion?.userId ?? null,
          deletedTime: deletion?.time ?? null,
          deleted: fromContent.take(length),
        },
      );
      fromSegments.advance(length);
    } else if (now) {
      throw new AttributionMismatchError(`character ${now.id} of the newer version is not in the older one`);
    } else {
      break;
    }
  }
  // A trailing plain retain changes nothing (as quill-delta's chop).
  if (ops.length > 0 && changes[changes.length - 1].kind === 'retain') {
    ops.pop();
    changes.pop();
  }
  return { ops, changes };
}
