import type { ChunkedDocument } from '@collab/ot';
import type Delta from 'quill-delta';

/**
 * Whether `op` (validated against `doc` by validateOp, so its retains are
 * counts within the document) would leave `doc` exactly as it is and move no
 * position: no insert, no delete, and every attribute its retains set is
 * already so on all the text they cover (a null, which removes, on text
 * without it). `[]`, `[{ retain: n }]`, bolding bold text, and an operation
 * that concurrent history emptied (two people deleting the same character)
 * all change nothing. A replacement of text by the same text changes
 * nothing visible but is still an edit: it moves other people's positions
 * as any insert and delete do, so it is committed.
 *
 * Costs the size of the operation, plus one read of the whole document when
 * the operation only formats (formatting is a click, not a keystroke).
 */
export function changesNothing(op: Delta, doc: ChunkedDocument): boolean {
  let formats = false;
  for (const component of op.ops) {
    if (component.insert !== undefined || component.delete !== undefined) return false;
    // An embed retain (an object) changes the embed; validateOp refuses it anyway.
    if (typeof component.retain !== 'number') return false;
    if (component.attributes !== undefined) formats = true;
  }
  if (!formats) return true;

  const content = doc.toDelta().ops;
  let run = 0;
  let offset = 0;
  for (const component of op.ops) {
    let left = component.retain as number;
    while (left > 0) {
      const piece = content[run];
      // Past the end of the document: not an operation validateOp accepts; never call it a no-op.
      if (piece === undefined) return false;
      const length = typeof piece.insert === 'string' ? piece.insert.length : 1;
      const take = Math.min(left, length - offset);
      if (component.attributes !== undefined && !alreadySo(piece.attributes, component.attributes)) {
        return false;
      }
      left -= take;
      offset += take;
      if (offset === length) {
        run++;
        offset = 0;
      }
    }
  }
  return true;
}

/** Whether formatting text that has `current` with `changes` keeps it as it is (nulls remove, values set). */
function alreadySo(
  current: Readonly<Record<string, unknown>> | undefined,
  changes: Readonly<Record<string, unknown>>,
): boolean {
  for (const key of Object.keys(changes)) {
    const value = changes[key];
    const has = current !== undefined && Object.prototype.hasOwnProperty.call(current, key);
    if (value === null ? has : !has || current?.[key] !== value) return false;
  }
  return true;
}
