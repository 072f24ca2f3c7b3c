import type Delta from 'quill-delta';

/**
 * A selection in Delta indexes (UTF-16 code units; an embed counts 1).
 * `anchor` is where the selection started and `head` where the caret is; they
 * are equal for a plain caret and `head < anchor` for a backward selection.
 */
export type DeltaSelection = Readonly<{ anchor: number; head: number }>;

/**
 * One operation to move a position through, and whose edit it is from the
 * point of view of the caret's owner (see {@link transformPosition}).
 */
export type PositionStep = Readonly<{ delta: Delta; ownEdit: boolean }>;

/**
 * Where `index`, a position in the document before `delta`, ends up in the
 * document after it.
 *
 * - Text inserted strictly before the caret shifts it right; text deleted
 *   before it shifts it left; a caret inside a deleted range moves to the
 *   start of that range.
 * - Text inserted exactly at the caret: for the caret owner's own edit
 *   (`ownEdit: true`) the caret moves past the inserted text, as it does when
 *   typing; for anybody else's edit (`ownEdit: false`) the caret stays in
 *   front of it, so a remote user typing at my caret does not push my caret
 *   along (Quill does the same: it passes `priority = source !== 'user'`).
 *
 * This is quill-delta's `transformPosition(index, priority)` with
 * `priority = !ownEdit`. Positions on a code point boundary stay on one,
 * because valid operations never split a surrogate pair.
 */
export function transformPosition(index: number, delta: Delta, ownEdit: boolean): number {
  return delta.transformPosition(index, !ownEdit);
}

/**
 * {@link transformPosition} for both ends of a selection.
 *
 * A caret (anchor === head) follows the caret rule. For a range, text inserted
 * exactly at either edge stays outside the range, whoever inserted it (the
 * start moves past it, the end stays in front of it), so a selection never
 * silently grows to cover somebody else's text. A range whose text is all
 * deleted collapses to a caret. Direction (anchor before or after head) is
 * kept.
 */
export function transformSelection(
  selection: DeltaSelection,
  delta: Delta,
  ownEdit: boolean,
): DeltaSelection {
  const { anchor, head } = selection;
  if (anchor === head) {
    const at = transformPosition(anchor, delta, ownEdit);
    return { anchor: at, head: at };
  }
  const forward = anchor < head;
  const start = delta.transformPosition(forward ? anchor : head, false);
  const end = delta.transformPosition(forward ? head : anchor, true);
  return forward ? { anchor: start, head: end } : { anchor: end, head: start };
}

/** {@link transformPosition} through several operations, in order. */
export function transformPositionThrough(index: number, steps: readonly PositionStep[]): number {
  return steps.reduce((at, step) => transformPosition(at, step.delta, step.ownEdit), index);
}

/** {@link transformSelection} through several operations, in order. */
export function transformSelectionThrough(
  selection: DeltaSelection,
  steps: readonly PositionStep[],
): DeltaSelection {
  return steps.reduce((sel, step) => transformSelection(sel, step.delta, step.ownEdit), selection);
}

/**
 * The reverse mapping: where `index`, a position in the document after
 * `delta`, was in the document before it. A position inside (or at either end
 * of) text that `delta` inserted maps to the insertion point; a position
 * where text was deleted maps to the start of the deleted range; every other
 * position maps to the same character it sat next to.
 *
 * Used to express a selection made on a client's local document (which
 * includes edits the server has not yet seen) at the last server version, so
 * it can be sent as presence; `transformPosition(untransformPosition(i, d), d, true)`
 * is `i` for every `i` outside inserted text.
 */
export function untransformPosition(index: number, delta: Delta): number {
  let before = 0; // offset in the document before `delta`
  let after = 0; // offset in the document after `delta`
  for (const op of delta.ops) {
    if (op.insert != null) {
      const length = typeof op.insert === 'string' ? op.insert.length : 1;
      if (index <= after + length) return before;
      after += length;
    } else if (typeof op.delete === 'number') {
      // Only reachable with index === after for a leading delete: a position
      // at a deletion point maps to the start of the deleted range, as it
      // does after a retain (which returns before reaching the delete).
      if (index <= after) return before;
      before += op.delete;
    } else {
      const length = typeof op.retain === 'number' ? op.retain : 1;
      if (index <= after + length) return before + (index - after);
      before += length;
      after += length;
    }
  }
  // Past the last op the document is retained unchanged.
  return before + (index - after);
}

/** {@link untransformPosition} for both ends of a selection. */
export function untransformSelection(selection: DeltaSelection, delta: Delta): DeltaSelection {
  return {
    anchor: untransformPosition(selection.anchor, delta),
    head: untransformPosition(selection.head, delta),
  };
}
