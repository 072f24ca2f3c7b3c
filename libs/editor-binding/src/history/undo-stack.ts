import { type Node as PmNode } from '@tiptap/pm/model';
import Delta from 'quill-delta';
import { deltaBetween } from '../convert/doc-to-delta';
import { pmRange } from '../convert/positions';

/*
 * Collaborative undo, as Quill's history module does it, on Deltas.
 *
 * Each entry is the inverse of one of this user's edits (or of a group of
 * edits made in quick succession), expressed on the current document: the
 * top entry applies to the document as it is now, the one below it to the
 * document after the top entry has been applied, and so on.
 *
 * When somebody else's change R arrives, every entry is rebased over it, top
 * down: the top entry U becomes R.transform(U) (it now applies after R), and
 * R itself becomes U.transform(R) for the next entry down (R as it would be
 * after U was undone). So an undo only ever takes back this user's own
 * characters and formats, wherever other people's edits have moved them, and
 * never removes text somebody else typed, even in the middle of the range.
 * An entry that the remote edits emptied (they deleted everything it would
 * restore or remove) is dropped.
 *
 * prosemirror-history with remote steps marked addToHistory=false maps its
 * inverted steps through remote step maps, which loses or misplaces entries
 * when a remote replace overlaps them; the Delta transform is the same OT
 * that makes the copies converge, so the rebased entries are exact.
 */

export type UndoEntry = Readonly<{
  delta: Delta;
  /** The part of the base document the delta touches, [start, end], and how much longer it makes it. */
  span: Span;
}>;

/** Where a change acts on its base document: its first and last touched index, and its length change. */
export type Span = Readonly<{ start: number; end: number; growth: number }>;

export function spanOf(delta: Delta): Span {
  const ops = delta.ops;
  let start = 0;
  let first = 0;
  if (ops.length > 0 && typeof ops[0].retain === 'number' && !ops[0].attributes) {
    start = ops[0].retain;
    first = 1;
  }
  let end = start;
  let growth = 0;
  for (let i = first; i < ops.length; i++) {
    const op = ops[i];
    if (typeof op.retain === 'number') end += op.retain;
    else if (typeof op.delete === 'number') {
      end += op.delete;
      growth -= op.delete;
    } else growth += typeof op.insert === 'string' ? op.insert.length : 1;
  }
  return { start, end, growth };
}

export function undoEntry(delta: Delta): UndoEntry {
  return { delta, span: spanOf(delta) };
}

/** `delta` moved right by `by` characters (its leading retain grows; `by` may be negative). */
function shifted(entry: UndoEntry, by: number): UndoEntry {
  if (by === 0) return entry;
  const ops = entry.delta.ops;
  const hasLead = ops.length > 0 && typeof ops[0].retain === 'number' && !ops[0].attributes;
  const rest = hasLead ? ops.slice(1) : ops;
  const lead = entry.span.start + by;
  const delta = new Delta(lead > 0 ? [{ retain: lead }, ...rest] : rest);
  return { delta, span: { start: lead, end: entry.span.end + by, growth: entry.span.growth } };
}

/**
 * Rebases a stack (bottom first, top last) over a change made on the current
 * document. Most entries sit far from the change: when one acts entirely
 * before the other (with a gap, so no tie between inserts at one position
 * arises), transforming is only a shift of the later one, so a remote
 * keystroke costs O(stack) additions, not O(stack) transforms.
 */
export function transformStack(stack: readonly UndoEntry[], change: Delta): UndoEntry[] {
  const rebased: UndoEntry[] = new Array<UndoEntry>(stack.length);
  let remote = undoEntry(change);
  for (let i = stack.length - 1; i >= 0; i--) {
    const entry = stack[i];
    if (entry.span.end < remote.span.start) {
      rebased[i] = entry;
      remote = shifted(remote, entry.span.growth);
    } else if (remote.span.end < entry.span.start) {
      rebased[i] = shifted(entry, remote.span.growth);
    } else {
      rebased[i] = undoEntry(remote.delta.transform(entry.delta, true));
      remote = undoEntry(entry.delta.transform(remote.delta, false));
    }
  }
  return rebased.filter((entry) => entry.delta.ops.length > 0);
}

/**
 * The inverse of `change` made on `before`, serializing only the part of
 * `before` the change deletes or formats (quill-delta's invert reads the base
 * document there only), so inverting a keystroke costs a keystroke.
 */
export function invertChange(change: Delta, before: PmNode): Delta {
  const ops = change.ops;
  let start = 0;
  let first = 0;
  if (ops.length > 0 && typeof ops[0].retain === 'number' && !ops[0].attributes) {
    start = ops[0].retain;
    first = 1;
  }
  const rest = new Delta(ops.slice(first));
  let consumed = 0;
  for (const op of rest.ops) {
    if (typeof op.retain === 'number') consumed += op.retain;
    else if (typeof op.delete === 'number') consumed += op.delete;
  }
  const [from, to] = pmRange(before, start, start + consumed);
  const base = deltaBetween(before, from, to);
  return new Delta().retain(start).concat(rest.invert(base)).chop();
}

/**
 * Where to put the caret after applying an undo or redo: after the last
 * character it inserted, or where it last deleted (Quill's getLastChangeIndex).
 */
export function caretAfter(change: Delta): number {
  let index = 0;
  let last = 0;
  for (const op of change.ops) {
    if (typeof op.retain === 'number') {
      index += op.retain;
      if (op.attributes) last = index;
    } else if (op.insert !== undefined) {
      index += typeof op.insert === 'string' ? op.insert.length : 1;
      last = index;
    } else {
      last = index;
    }
  }
  return last;
}
