import { type Node as PmNode } from '@tiptap/pm/model';

/*
 * ProseMirror positions <-> Delta indexes in the flat line model.
 *
 * A document of lines L0..Ln-1: line k starts (before its open token) at
 * ProseMirror position p_k, its content at p_k + 1, and it contributes its
 * content plus one "\n" to the Delta (its close token is the "\n"; its open
 * token contributes nothing). Text counts UTF-16 code units in both models,
 * and an inline embed is a leaf of size 1 in both. So for any position
 *
 *     deltaIndex(pos) = pos - (number of lines that start before pos)
 *
 * and a Delta index i in line k (start S_k <= i <= S_k + length_k, the last
 * being the index of its "\n") is ProseMirror position p_k + 1 + (i - S_k).
 *
 * Both walks visit top-level children only (Fragment#child is O(1)), so a
 * lookup costs O(lines before the position) with a tiny constant, the same
 * order as ProseMirror's own `doc.resolve` at the top level.
 */

/** The Delta index of ProseMirror position `pos` in a flat line document. */
export function pmToIndex(doc: PmNode, pos: number): number {
  let linesBefore = 0;
  let at = 0;
  const count = doc.childCount;
  for (let i = 0; i < count && at < pos; i++) {
    linesBefore++;
    at += doc.child(i).nodeSize;
  }
  return pos - linesBefore;
}

/** Where a Delta index is: its ProseMirror position and the line holding it. */
export type IndexLocation = Readonly<{
  /** The ProseMirror position (as {@link indexToPm} gives it). */
  pos: number;
  /** The line holding the position, its position before the line, and its number. */
  node: PmNode;
  linePos: number;
  line: number;
  /** The Delta index of the line's first character. */
  lineStart: number;
}>;

/**
 * {@link indexToPm} and {@link lineAt} of its result in one walk. `after`, a
 * location of a smaller or equal index in the same document, starts the walk
 * at its line instead of the first: a range costs one walk, not two.
 */
export function locateIndex(doc: PmNode, index: number, after?: IndexLocation): IndexLocation {
  let start = after?.lineStart ?? 0; // Delta index of the current line's start
  let pos = after?.linePos ?? 0; // ProseMirror position before the current line
  const count = doc.childCount;
  const target = Math.max(0, index);
  for (let i = after?.line ?? 0; i < count; i++) {
    const node = doc.child(i);
    const length = node.content.size;
    if (target <= start + length || i === count - 1) {
      return {
        pos: pos + 1 + Math.min(target - start, length),
        node,
        linePos: pos,
        line: i,
        lineStart: start,
      };
    }
    start += length + 1;
    pos += node.nodeSize;
  }
  // Only an empty fragment gets here; a document always has a line.
  return { pos: 0, node: doc, linePos: 0, line: 0, lineStart: 0 };
}

/**
 * The ProseMirror position of Delta index `index` (clamped to the document):
 * inside line content, or at the end of a line's content for the index of its
 * "\n". The index just past the final "\n" maps to the end of the last line.
 */
export function indexToPm(doc: PmNode, index: number): number {
  return locateIndex(doc, index).pos;
}

/** Length of the Delta of the whole document (content plus one "\n" per line). */
export function deltaLength(doc: PmNode): number {
  return doc.content.size - doc.childCount;
}

/** The line containing `pos` (or starting at it) with its start position, or null past the end. */
export function lineAt(doc: PmNode, pos: number): { node: PmNode; pos: number; index: number } | null {
  let at = 0;
  const count = doc.childCount;
  for (let i = 0; i < count; i++) {
    const node = doc.child(i);
    const end = at + node.nodeSize;
    if (pos < end) return { node, pos: at, index: i };
    at = end;
  }
  return null;
}

/**
 * The ProseMirror range of Delta range [start, end): `end` at the document's
 * length includes the final "\n".
 */
export function pmRange(doc: PmNode, start: number, end: number): [number, number] {
  const from = indexToPm(doc, start);
  const to = end >= deltaLength(doc) ? doc.content.size : indexToPm(doc, end);
  return [from, to];
}

/**
 * {@link pmRange} of each of `ranges`, in one walk over the lines when they
 * come in order of `start` (as attribution runs do): each lookup starts at
 * the line of the previous one, so n ranges over a document of m lines cost
 * O(n + m) instead of O(n * m). A range that starts before the previous one
 * walks from the top again, so any order gives the same answer.
 */
export function pmRanges(
  doc: PmNode,
  ranges: readonly Readonly<{ start: number; end: number }>[],
): [number, number][] {
  const length = deltaLength(doc);
  const out: [number, number][] = [];
  // The last location found and its index: a later lookup at or after it starts there.
  let hint: { at: IndexLocation; index: number } | undefined;
  const locate = (index: number): IndexLocation => {
    const at = locateIndex(doc, index, hint && index >= hint.index ? hint.at : undefined);
    hint = { at, index };
    return at;
  };
  for (const { start, end } of ranges) {
    const from = locate(start).pos;
    out.push([from, end >= length ? doc.content.size : locate(end).pos]);
  }
  return out;
}
