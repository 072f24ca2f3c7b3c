import { MAX_DELTA_COMPONENTS, MAX_TITLE_LENGTH } from '@collab/contracts';
import type { StoredDelta, StoredDeltaOp } from '@collab/persistence';

/**
 * Most components and inserted code units one copy operation holds: half of
 * libs/ot's default operation limits (20,000 components, 1,000,000 inserted),
 * so every operation of a copy is one the editor could have sent, and any
 * reader (catch-up, history folds) handles it like typing.
 */
export const COPY_OP_COMPONENTS = MAX_DELTA_COMPONENTS / 2;
export const COPY_OP_INSERT_LENGTH = 500_000;

const insertLength = (op: StoredDeltaOp): number => (typeof op.insert === 'string' ? op.insert.length : 1);

/** Splits a text insert into pieces of at most `max` code units, never inside a surrogate pair. */
function splitText(op: StoredDeltaOp & { insert: string }, max: number): StoredDeltaOp[] {
  const pieces: StoredDeltaOp[] = [];
  let start = 0;
  while (start < op.insert.length) {
    let end = Math.min(op.insert.length, start + max);
    const last = op.insert.charCodeAt(end - 1);
    if (end < op.insert.length && last >= 0xd800 && last <= 0xdbff) end--; // a high surrogate stays with its pair
    pieces.push(
      op.attributes
        ? { insert: op.insert.slice(start, end), attributes: op.attributes }
        : { insert: op.insert.slice(start, end) },
    );
    start = end;
  }
  return pieces;
}

/**
 * The operations that turn the empty document ("\n") into `content`, oldest
 * first, each within {@link COPY_OP_COMPONENTS} and {@link COPY_OP_INSERT_LENGTH}:
 * each inserts the next part of the content before the final "\n" (after a
 * retain of what the earlier ones inserted), and the last one gives that
 * "\n" its line attributes. Empty for the empty document.
 */
export function copyOperations(content: StoredDelta): StoredDelta[] {
  const body: StoredDeltaOp[] = [];
  for (const op of content) {
    if (typeof op.insert === 'string' && op.insert.length > COPY_OP_INSERT_LENGTH)
      body.push(...splitText(op as StoredDeltaOp & { insert: string }, COPY_OP_INSERT_LENGTH));
    else body.push(op);
  }
  // The final "\n" is already in the empty document: take it off the last insert.
  const last = body.pop();
  if (!last || typeof last.insert !== 'string' || !last.insert.endsWith('\n'))
    throw new RangeError('a document ends with a newline');
  const finalAttributes = last.attributes;
  if (last.insert.length > 1) body.push({ ...last, insert: last.insert.slice(0, -1) });

  const operations: StoredDelta[] = [];
  let written = 0;
  let current: StoredDeltaOp[] = [];
  let currentLength = 0;
  const flush = () => {
    if (current.length === 0) return;
    operations.push(written > 0 ? [{ retain: written }, ...current] : current);
    written += currentLength;
    current = [];
    currentLength = 0;
  };
  for (const op of body) {
    const length = insertLength(op);
    // Room for the leading retain and the trailing line-attribute retain.
    if (current.length + 2 >= COPY_OP_COMPONENTS || currentLength + length > COPY_OP_INSERT_LENGTH) flush();
    current.push(op);
    currentLength += length;
  }
  if (finalAttributes) current.push({ retain: 1, attributes: finalAttributes });
  flush();
  return operations;
}

/** The copy's title when the caller names none: "Plan (version 12)", cut to fit the title limit. */
export function copyTitle(sourceTitle: string, version: number): string {
  const suffix = ` (version ${version})`;
  const base = sourceTitle.trim() || 'Untitled';
  return base.slice(0, MAX_TITLE_LENGTH - suffix.length).trimEnd() + suffix;
}
