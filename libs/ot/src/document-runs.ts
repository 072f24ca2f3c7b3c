import type { Op } from 'quill-delta';
import {
  attributesEqual,
  type AttributeChanges,
  type Attributes,
  type AttributeValue,
  type Embed,
} from './attributes';

/*
 * The runs and chunks a ChunkedDocument is made of, and the edits inside one
 * chunk. Positions are UTF-16 code units (an embed counts 1), as in
 * quill-delta. These functions keep a chunk's `length` equal to its runs'
 * lengths; the bounds on chunk size and run count, and the Fenwick tree over
 * the chunk lengths, are the document's to keep (see chunked-document.ts).
 */

/** The size bounds of a document's chunks, from ChunkedDocumentOptions. */
export interface ChunkLimits {
  /** Most code units per chunk. */
  readonly chunkMax: number;
  /** What new and split chunks hold: chunkMax / 2. */
  readonly chunkTarget: number;
  /** Below this a chunk is merged into a neighbour when the result stays bounded: chunkMax / 8. */
  readonly chunkMin: number;
  /** Most runs per chunk. */
  readonly maxRuns: number;
}

/** A text string or one embed, with one attribute map (shared, never mutated once stored). */
export interface Run {
  insert: string | Embed;
  attributes: Attributes | undefined;
}

/** A short array of runs and their total length: the unit the Fenwick tree counts. */
export interface Chunk {
  runs: Run[];
  length: number;
}

export function runLength(run: Run): number {
  return typeof run.insert === 'string' ? run.insert.length : 1;
}

/** Two runs can become one when both are text with equal attributes. */
function canMerge(a: Run, b: Run): boolean {
  return (
    typeof a.insert === 'string' &&
    typeof b.insert === 'string' &&
    attributesEqual(a.attributes, b.attributes)
  );
}

export function copyAttributes(
  attributes: Readonly<Record<string, unknown>> | undefined,
): Attributes | undefined {
  if (attributes === undefined || attributes === null) return undefined;
  let copy: Record<string, AttributeValue> | undefined;
  for (const key in attributes) {
    const value = attributes[key];
    if (value === null || value === undefined) continue;
    (copy ??= {})[key] = value as AttributeValue;
  }
  return copy;
}

/** quill-delta's AttributeMap.compose(base, changes, false): nulls remove, other values overwrite. */
function composeAttributes(base: Attributes | undefined, changes: AttributeChanges): Attributes | undefined {
  let result: Record<string, AttributeValue> | undefined;
  for (const key in changes) {
    const value = changes[key];
    if (value !== null) (result ??= {})[key] = value;
  }
  if (base !== undefined) {
    for (const key in base) {
      if (changes[key] === undefined) (result ??= {})[key] = base[key];
    }
  }
  // Keep the old object when nothing changed, so runs stay shared and mergeable.
  return attributesEqual(result, base) ? base : result;
}

/**
 * The chunks of a document given as a delta of inserts (trusted, and copied):
 * chunks of about chunkTarget units and fewer than maxRuns runs.
 * @throws TypeError when an op is not an insert.
 */
export function chunksOf(ops: readonly Op[], limits: ChunkLimits): Chunk[] {
  const { chunkTarget: target, maxRuns } = limits;
  const chunks: Chunk[] = [];
  let chunk: Chunk = { runs: [], length: 0 };
  const push = (run: Run, length: number): void => {
    const last = chunk.runs[chunk.runs.length - 1];
    if (last !== undefined && canMerge(last, run))
      last.insert = (last.insert as string) + (run.insert as string);
    else chunk.runs.push(run);
    chunk.length += length;
    if (chunk.length >= target || chunk.runs.length >= maxRuns) {
      chunks.push(chunk);
      chunk = { runs: [], length: 0 };
    }
  };
  for (const op of ops) {
    const insert = op.insert;
    if (insert === undefined || insert === null) throw new TypeError('a document holds inserts only');
    const attributes = copyAttributes(op.attributes);
    if (typeof insert !== 'string') {
      push({ insert: { ...insert } as unknown as Embed, attributes }, 1);
      continue;
    }
    for (let at = 0; at < insert.length;) {
      const take = Math.min(insert.length - at, target - chunk.length);
      push({ insert: insert.slice(at, at + take), attributes }, take);
      at += take;
    }
  }
  if (chunk.length > 0) chunks.push(chunk);
  return chunks;
}

/** Splits a chunk into pieces of at most chunkMax / 2 units and maxRuns / 2 runs. */
export function splitChunk(chunk: Chunk, limits: ChunkLimits): Chunk[] {
  const { chunkTarget, maxRuns } = limits;
  const pieces: Chunk[] = [];
  let piece: Chunk = { runs: [], length: 0 };
  for (const run of chunk.runs) {
    if (typeof run.insert !== 'string') {
      piece.runs.push(run);
      piece.length += 1;
    } else {
      for (let at = 0; at < run.insert.length;) {
        const take = Math.min(run.insert.length - at, chunkTarget - piece.length);
        const text = take === run.insert.length ? run.insert : run.insert.slice(at, at + take);
        piece.runs.push({ insert: text, attributes: run.attributes });
        piece.length += take;
        at += take;
        if (piece.length >= chunkTarget && at < run.insert.length) {
          pieces.push(piece);
          piece = { runs: [], length: 0 };
        }
      }
    }
    if (piece.length >= chunkTarget || piece.runs.length >= maxRuns >> 1) {
      pieces.push(piece);
      piece = { runs: [], length: 0 };
    }
  }
  if (piece.length > 0) pieces.push(piece);
  return pieces;
}

/** Merges chunks[c] into a neighbour when it is small and the result stays bounded; true when it did. */
export function mergeSmall(chunks: Chunk[], c: number, limits: ChunkLimits): boolean {
  const { chunkMax, chunkMin, maxRuns } = limits;
  if (c < 0 || c >= chunks.length || chunks[c].length >= chunkMin) return false;
  const chunk = chunks[c];
  const prev = chunks[c - 1];
  if (
    prev !== undefined &&
    prev.length + chunk.length <= chunkMax &&
    prev.runs.length + chunk.runs.length <= maxRuns
  ) {
    appendRuns(prev, chunk);
    chunks.splice(c, 1);
    return true;
  }
  const next = chunks[c + 1];
  if (
    next !== undefined &&
    next.length + chunk.length <= chunkMax &&
    next.runs.length + chunk.runs.length <= maxRuns
  ) {
    appendRuns(chunk, next);
    chunks.splice(c + 1, 1);
    return true;
  }
  return false;
}

function appendRuns(into: Chunk, from: Chunk): void {
  for (const run of from.runs) {
    const last = into.runs[into.runs.length - 1];
    if (last !== undefined && canMerge(last, run)) {
      into.runs[into.runs.length - 1] = {
        insert: (last.insert as string) + (run.insert as string),
        attributes: last.attributes,
      };
    } else {
      into.runs.push(run);
    }
  }
  into.length += from.length;
}

/** Inserts one run at `offset` inside one chunk, merging it into a neighbour of equal attributes. */
export function insertInChunk(chunk: Chunk, offset: number, run: Run): void {
  const runs = chunk.runs;
  let r = 0;
  // Find the run that ends at or after offset (the first one when offset is 0).
  while (offset > runLength(runs[r])) offset -= runLength(runs[r++]);
  const target = runs[r];
  const targetLength = runLength(target);
  if (canMerge(target, run)) {
    const text = target.insert as string;
    target.insert =
      offset === targetLength ? text + run.insert : text.slice(0, offset) + run.insert + text.slice(offset);
  } else if (offset === targetLength) {
    const next = runs[r + 1];
    if (next !== undefined && canMerge(run, next)) next.insert = (run.insert as string) + next.insert;
    else runs.splice(r + 1, 0, run);
  } else if (offset === 0) {
    runs.splice(r, 0, run);
  } else {
    // Split a text run (embeds have length 1, so offset is 0 or 1 for them).
    const text = target.insert as string;
    target.insert = text.slice(0, offset);
    runs.splice(r + 1, 0, run, { insert: text.slice(offset), attributes: target.attributes });
  }
  chunk.length += runLength(run);
}

/** Deletes [offset, offset + count) inside one chunk, then merges the runs that became neighbours. */
export function deleteInChunk(chunk: Chunk, offset: number, count: number): void {
  const runs = chunk.runs;
  let r = 0;
  while (offset >= runLength(runs[r])) offset -= runLength(runs[r++]);
  // The run left of the cut: the first touched run when the cut starts inside it.
  const left = offset > 0 ? r : r - 1;
  let rest = count;
  while (rest > 0) {
    const run = runs[r];
    const length = runLength(run);
    const take = Math.min(rest, length - offset);
    if (take === length) {
      runs.splice(r, 1);
    } else {
      const text = run.insert as string;
      run.insert = text.slice(0, offset) + text.slice(offset + take);
      r++;
    }
    rest -= take;
    offset = 0;
  }
  chunk.length -= count;
  if (left >= 0 && left + 1 < runs.length && canMerge(runs[left], runs[left + 1])) {
    runs[left].insert = (runs[left].insert as string) + (runs[left + 1].insert as string);
    runs.splice(left + 1, 1);
  }
}

/** Cuts a chunk at offset into two new chunks (either may be empty). */
export function cutChunk(chunk: Chunk, offset: number): [Chunk, Chunk] {
  const left: Chunk = { runs: [], length: 0 };
  const right: Chunk = { runs: [], length: 0 };
  for (const run of chunk.runs) {
    const length = runLength(run);
    if (left.length + length <= offset) {
      left.runs.push(run);
      left.length += length;
    } else if (left.length >= offset) {
      right.runs.push(run);
    } else {
      const text = run.insert as string;
      const at = offset - left.length;
      left.runs.push({ insert: text.slice(0, at), attributes: run.attributes });
      left.length = offset;
      right.runs.push({ insert: text.slice(at), attributes: run.attributes });
    }
  }
  right.length = chunk.length - left.length;
  return [left, right];
}

/** Applies attribute changes to [offset, offset + count) of one chunk, splitting runs at the edges. */
export function formatInChunk(
  chunk: Chunk,
  offset: number,
  count: number,
  changes: AttributeChanges,
  memo: Map<Attributes | undefined, Attributes | undefined>,
): void {
  const runs = chunk.runs;
  let r = 0;
  while (offset >= runLength(runs[r])) offset -= runLength(runs[r++]);
  const firstTouched = r;
  let left = count;
  while (left > 0) {
    let run = runs[r];
    if (offset > 0) {
      // Split off the untouched head (only text runs are longer than 1).
      const text = run.insert as string;
      runs.splice(
        r,
        1,
        { insert: text.slice(0, offset), attributes: run.attributes },
        { insert: text.slice(offset), attributes: run.attributes },
      );
      r++;
      run = runs[r];
      offset = 0;
    }
    const length = runLength(run);
    if (left < length) {
      const text = run.insert as string;
      runs.splice(r + 1, 0, { insert: text.slice(left), attributes: run.attributes });
      run.insert = text.slice(0, left);
    }
    let next = memo.get(run.attributes);
    if (next === undefined && !memo.has(run.attributes)) {
      next = composeAttributes(run.attributes, changes);
      memo.set(run.attributes, next);
    }
    run.attributes = next;
    left -= Math.min(left, length);
    r++;
  }
  // Merge equal neighbours over the touched span and one run either side.
  let w = Math.max(0, firstTouched - 1);
  const end = Math.min(runs.length, r + 1);
  for (let i = w + 1; i < end; i++) {
    if (canMerge(runs[w], runs[i])) {
      runs[w] = {
        insert: (runs[w].insert as string) + (runs[i].insert as string),
        attributes: runs[w].attributes,
      };
    } else {
      runs[++w] = runs[i];
    }
  }
  runs.splice(w + 1, end - (w + 1));
}
