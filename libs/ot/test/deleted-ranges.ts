import type Delta from 'quill-delta';

/**
 * The ranges `[start, end]` that `delta` deletes, as indexes of the document
 * before it: `start` is the first deleted character, `end` the index just
 * after the last. Whether an edge counts as inside is each property's rule.
 */
export function deletedRanges(delta: Delta): Array<[number, number]> {
  const ranges: Array<[number, number]> = [];
  let at = 0;
  for (const op of delta.ops) {
    if (typeof op.delete === 'number') {
      ranges.push([at, at + op.delete]);
      at += op.delete;
    } else if (op.retain != null) {
      at += typeof op.retain === 'number' ? op.retain : 1;
    }
  }
  return ranges;
}
