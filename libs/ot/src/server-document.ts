import Delta, { type Op } from 'quill-delta';
import {
  attributesEqual,
  type AttributeChanges,
  type Attributes,
  type AttributeValue,
  type Embed,
} from './attributes';

/*
 * Representation
 * --------------
 * The document is a sequence of chunks; a chunk is a short array of runs; a
 * run is a text string or one embed, with one attribute map. Invariants kept
 * after every public call:
 *   - no chunk is empty (the empty document has no chunks at all);
 *   - a chunk holds at most chunkMax code units (1024 by default) and maxRuns
 *     runs (64), so finding a run inside a chunk and editing its string cost
 *     O(chunkMax);
 *   - `tree` is a Fenwick tree over the chunk lengths, so finding the chunk
 *     that holds a position costs O(log chunks) and so does a length change;
 *     splitting, merging or removing chunks rebuilds it in O(chunks), which
 *     happens about once per chunkMax / 2 inserted or deleted code units;
 *   - attribute maps are never mutated once stored, so runs share them: an
 *     insert stores one copy for all its characters, and formatting a range
 *     maps each distinct old map to one new map.
 * Runs are not always maximal (two neighbours may have equal attributes, for
 * instance across a chunk boundary); toDelta() merges them, which is where the
 * normalization of quill-delta's compose is reproduced.
 *
 * Chunks may split a surrogate pair between them: positions here are UTF-16
 * code units, exactly like quill-delta, and validateOp is what keeps
 * operation boundaries off the middle of a pair.
 */

/** Tuning knobs of {@link ServerDocument}; the defaults suit production, tests use tiny chunks. */
export interface ServerDocumentOptions {
  /** Most code units per chunk (default 1024, at least 4). New and split chunks hold about half. */
  readonly chunkSize?: number;
  /** Most runs per chunk (default 64, at least 2). */
  readonly maxRuns?: number;
}

interface Run {
  insert: string | Embed;
  attributes: Attributes | undefined;
}

interface Chunk {
  runs: Run[];
  length: number;
}

function runLength(run: Run): number {
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

function copyAttributes(attributes: Readonly<Record<string, unknown>> | undefined): Attributes | undefined {
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
 * The server's copy of one document: a quill-delta document (inserts only)
 * held in bounded chunks so that applying an operation costs about
 * O(log n + operation size) instead of copying the whole document, as
 * `Delta#compose` does.
 *
 * `apply` trusts its input: pass only operations accepted by `validateOp`
 * against this very document (or built by this library from such operations).
 * Its result is the same as `oldDelta.compose(op)`: `toDelta()` returns that
 * delta, normalized the way quill-delta normalizes.
 */
export class ServerDocument {
  private chunks: Chunk[] = [];
  private tree = new Float64Array(1);
  private treeStep = 0;
  private total = 0;
  private readonly chunkMax: number;
  private readonly chunkTarget: number;
  private readonly chunkMin: number;
  private readonly maxRuns: number;

  private constructor(options: ServerDocumentOptions) {
    this.chunkMax = Math.max(4, Math.floor(options.chunkSize ?? 1024));
    this.chunkTarget = this.chunkMax >> 1;
    this.chunkMin = this.chunkMax >> 3;
    this.maxRuns = Math.max(2, Math.floor(options.maxRuns ?? 64));
  }

  /** The document "\n": one empty line. */
  static empty(options: ServerDocumentOptions = {}): ServerDocument {
    return ServerDocument.fromDelta([{ insert: '\n' }], options);
  }

  /**
   * Builds a document from a delta of inserts (or its ops). The input is trusted
   * and copied; check untrusted input with `validateDocument` first.
   * @throws TypeError when an op is not an insert.
   */
  static fromDelta(delta: Delta | readonly Op[], options: ServerDocumentOptions = {}): ServerDocument {
    const ops = Array.isArray(delta) ? (delta as readonly Op[]) : (delta as Delta).ops;
    const doc = new ServerDocument(options);
    const target = doc.chunkTarget;
    const maxRuns = doc.maxRuns;
    let chunk: Chunk = { runs: [], length: 0 };
    const push = (run: Run, length: number): void => {
      const last = chunk.runs[chunk.runs.length - 1];
      if (last !== undefined && canMerge(last, run))
        last.insert = (last.insert as string) + (run.insert as string);
      else chunk.runs.push(run);
      chunk.length += length;
      if (chunk.length >= target || chunk.runs.length >= maxRuns) {
        doc.chunks.push(chunk);
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
    if (chunk.length > 0) doc.chunks.push(chunk);
    doc.rebuild();
    return doc;
  }

  /** Length in quill-delta units: UTF-16 code units, embeds count 1. */
  get length(): number {
    return this.total;
  }

  /**
   * The UTF-16 code unit at `index`, -1 for an embed, NaN outside the document
   * (like `String#charCodeAt`).
   */
  codeUnitAt(index: number): number {
    if (!(index >= 0 && index < this.total) || !Number.isInteger(index)) return NaN;
    const chunk = this.chunks[this.locateChunk(index)];
    let offset = this.locatedOffset;
    const runs = chunk.runs;
    for (let r = 0; ; r++) {
      const run = runs[r];
      const insert = run.insert;
      const length = typeof insert === 'string' ? insert.length : 1;
      if (offset < length) return typeof insert === 'string' ? insert.charCodeAt(offset) : -1;
      offset -= length;
    }
  }

  /** True when every unit of [start, start + count) is a "\n" character (false for embeds or past the end). */
  isAllNewlines(start: number, count: number): boolean {
    if (count <= 0) return true;
    if (start < 0 || start + count > this.total) return false;
    let c = this.locateChunk(start);
    let offset = this.locatedOffset;
    let left = count;
    while (left > 0) {
      for (const run of this.chunks[c].runs) {
        const length = runLength(run);
        if (offset >= length) {
          offset -= length;
          continue;
        }
        const take = Math.min(length - offset, left);
        if (typeof run.insert !== 'string') return false;
        for (let i = offset; i < offset + take; i++) if (run.insert.charCodeAt(i) !== 10) return false;
        left -= take;
        offset = 0;
        if (left === 0) return true;
      }
      c++;
      offset = 0;
    }
    return true;
  }

  /**
   * Applies an operation in place and returns this document. The operation must
   * be valid for this document (see the class comment); the result equals
   * `toDelta().compose(op)` computed before the call.
   */
  apply(op: Delta | readonly Op[]): this {
    const ops = Array.isArray(op) ? (op as readonly Op[]) : (op as Delta).ops;
    let pos = 0;
    for (let i = 0; i < ops.length; i++) {
      const component = ops[i];
      if (typeof component.retain === 'number') {
        if (component.attributes !== undefined)
          this.format(pos, component.retain, component.attributes as AttributeChanges);
        pos += component.retain;
      } else if (typeof component.delete === 'number') {
        this.remove(pos, component.delete);
      } else if (component.insert !== undefined) {
        const insert = component.insert;
        const attributes = copyAttributes(component.attributes);
        if (typeof insert === 'string') {
          this.insertText(pos, insert, attributes);
          pos += insert.length;
        } else {
          this.insertRun(pos, { insert: { ...insert } as unknown as Embed, attributes });
          pos += 1;
        }
      }
    }
    return this;
  }

  /** The document as a normalized quill-delta (fresh objects; changing them does not change this document). */
  toDelta(): Delta {
    const ops: Op[] = [];
    let last: Op | undefined;
    let lastAttributes: Attributes | undefined;
    for (const chunk of this.chunks) {
      for (const run of chunk.runs) {
        const insert = run.insert;
        if (typeof insert === 'string') {
          if (
            last !== undefined &&
            typeof last.insert === 'string' &&
            attributesEqual(lastAttributes, run.attributes)
          ) {
            last.insert += insert;
            continue;
          }
          last = { insert };
        } else {
          last = { insert: { ...insert } };
        }
        if (run.attributes !== undefined) last.attributes = { ...run.attributes };
        lastAttributes = run.attributes;
        ops.push(last);
      }
    }
    return new Delta(ops);
  }

  /** The document's text, with each embed as U+FFFC (OBJECT REPLACEMENT CHARACTER). */
  toText(): string {
    let text = '';
    for (const chunk of this.chunks) {
      for (const run of chunk.runs) text += typeof run.insert === 'string' ? run.insert : '\ufffc';
    }
    return text;
  }

  // ---- positions ---------------------------------------------------------

  /** Offset inside the chunk found by the last locateChunk call. */
  private locatedOffset = 0;

  /**
   * Index of the chunk holding `pos` (0 <= pos <= length); sets locatedOffset.
   * pos === length gives the last chunk with its length as offset, so an
   * insert at the end appends to the last chunk.
   */
  private locateChunk(pos: number): number {
    const tree = this.tree;
    const n = this.chunks.length;
    let index = 0;
    let rest = pos;
    for (let step = this.treeStep; step > 0; step >>= 1) {
      const next = index + step;
      if (next <= n && tree[next] <= rest) {
        index = next;
        rest -= tree[next];
      }
    }
    if (index === n && n > 0) {
      index = n - 1;
      rest = this.chunks[index].length;
    }
    this.locatedOffset = rest;
    return index;
  }

  private rebuild(): void {
    const n = this.chunks.length;
    if (this.tree.length < n + 1) this.tree = new Float64Array(Math.max(16, (n + 1) * 2));
    else this.tree.fill(0, 0, n + 1);
    const tree = this.tree;
    let total = 0;
    for (let i = 1; i <= n; i++) {
      const length = this.chunks[i - 1].length;
      total += length;
      tree[i] += length;
      const parent = i + (i & -i);
      if (parent <= n) tree[parent] += tree[i];
    }
    let step = 1;
    while (step * 2 <= n) step *= 2;
    this.treeStep = n === 0 ? 0 : step;
    this.total = total;
  }

  private grow(chunkIndex: number, delta: number): void {
    const n = this.chunks.length;
    const tree = this.tree;
    for (let i = chunkIndex + 1; i <= n; i += i & -i) tree[i] += delta;
    this.total += delta;
  }

  // ---- edits ---------------------------------------------------------------

  private insertText(pos: number, text: string, attributes: Attributes | undefined): void {
    if (text.length <= this.chunkMax) {
      this.insertRun(pos, { insert: text, attributes });
      return;
    }
    // A long paste: cut the chunk at pos and put whole new chunks in between.
    const pieces: Chunk[] = [];
    for (let at = 0; at < text.length; at += this.chunkTarget) {
      const piece = text.slice(at, at + this.chunkTarget);
      pieces.push({ runs: [{ insert: piece, attributes }], length: piece.length });
    }
    if (this.chunks.length > 0) {
      const c = this.locateChunk(pos);
      const [left, right] = cutChunk(this.chunks[c], this.locatedOffset);
      if (left.length > 0) pieces.unshift(left);
      if (right.length > 0) pieces.push(right);
      this.chunks.splice(c, 1, ...pieces);
    } else {
      this.chunks = pieces;
    }
    this.rebuild();
  }

  private insertRun(pos: number, run: Run): void {
    const length = runLength(run);
    if (this.chunks.length === 0) {
      this.chunks.push({ runs: [run], length });
      this.rebuild();
      return;
    }
    const c = this.locateChunk(pos);
    const chunk = this.chunks[c];
    const runs = chunk.runs;
    let offset = this.locatedOffset;
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
    chunk.length += length;
    if (chunk.length > this.chunkMax || runs.length > this.maxRuns) {
      this.splitChunk(c);
      this.rebuild();
    } else {
      this.grow(c, length);
    }
  }

  private remove(pos: number, count: number): void {
    const first = this.locateChunk(pos);
    let offset = this.locatedOffset;
    let left = count;
    let c = first;
    let removeFrom = -1;
    let removeTo = -1;
    let partialFirst = -1;
    let partialLast = -1;
    let shrinkFirst = 0;
    let shrinkLast = 0;
    while (left > 0) {
      const chunk = this.chunks[c];
      const take = Math.min(left, chunk.length - offset);
      if (offset === 0 && take === chunk.length) {
        if (removeFrom < 0) removeFrom = c;
        removeTo = c + 1;
      } else {
        deleteInChunk(chunk, offset, take);
        if (partialFirst < 0) {
          partialFirst = c;
          shrinkFirst = take;
        } else {
          partialLast = c;
          shrinkLast = take;
        }
      }
      left -= take;
      offset = 0;
      c++;
    }
    if (removeFrom < 0) {
      // Only lengths changed: keep the tree unless a small chunk can be merged away.
      this.grow(partialFirst, -shrinkFirst);
      if (partialLast >= 0) this.grow(partialLast, -shrinkLast);
      const mergedNext = this.mergeSmall(first + 1);
      const mergedFirst = this.mergeSmall(first);
      if (mergedNext || mergedFirst) this.rebuild();
      return;
    }
    this.chunks.splice(removeFrom, removeTo - removeFrom);
    // The partial chunks, if any, now sit either side of removeFrom.
    this.mergeSmall(removeFrom);
    this.mergeSmall(removeFrom - 1);
    this.rebuild();
  }

  private format(pos: number, count: number, changes: AttributeChanges): void {
    // One result per distinct old map: formatting a range keeps runs sharing.
    const memo = new Map<Attributes | undefined, Attributes | undefined>();
    let c = this.locateChunk(pos);
    let offset = this.locatedOffset;
    let left = count;
    let structural = false;
    while (left > 0) {
      const chunk = this.chunks[c];
      const take = Math.min(left, chunk.length - offset);
      formatInChunk(chunk, offset, take, changes, memo);
      if (chunk.runs.length > this.maxRuns) {
        const added = this.splitChunk(c);
        c += added;
        structural = true;
      }
      left -= take;
      offset = 0;
      c++;
    }
    if (structural) this.rebuild();
  }

  /** Splits chunk c into chunks of at most chunkMax / 2 units and maxRuns / 2 runs; returns how many chunks were added. */
  private splitChunk(c: number): number {
    const pieces: Chunk[] = [];
    let piece: Chunk = { runs: [], length: 0 };
    for (const run of this.chunks[c].runs) {
      if (typeof run.insert !== 'string') {
        piece.runs.push(run);
        piece.length += 1;
      } else {
        for (let at = 0; at < run.insert.length;) {
          const take = Math.min(run.insert.length - at, this.chunkTarget - piece.length);
          const text = take === run.insert.length ? run.insert : run.insert.slice(at, at + take);
          piece.runs.push({ insert: text, attributes: run.attributes });
          piece.length += take;
          at += take;
          if (piece.length >= this.chunkTarget && at < run.insert.length) {
            pieces.push(piece);
            piece = { runs: [], length: 0 };
          }
        }
      }
      if (piece.length >= this.chunkTarget || piece.runs.length >= this.maxRuns >> 1) {
        pieces.push(piece);
        piece = { runs: [], length: 0 };
      }
    }
    if (piece.length > 0) pieces.push(piece);
    this.chunks.splice(c, 1, ...pieces);
    return pieces.length - 1;
  }

  /** Merges chunk c into a neighbour when it is small and the result stays bounded; true when it did. */
  private mergeSmall(c: number): boolean {
    const chunks = this.chunks;
    if (c < 0 || c >= chunks.length || chunks[c].length >= this.chunkMin) return false;
    const chunk = chunks[c];
    const prev = chunks[c - 1];
    if (
      prev !== undefined &&
      prev.length + chunk.length <= this.chunkMax &&
      prev.runs.length + chunk.runs.length <= this.maxRuns
    ) {
      appendRuns(prev, chunk);
      chunks.splice(c, 1);
      return true;
    }
    const next = chunks[c + 1];
    if (
      next !== undefined &&
      next.length + chunk.length <= this.chunkMax &&
      next.runs.length + chunk.runs.length <= this.maxRuns
    ) {
      appendRuns(chunk, next);
      chunks.splice(c + 1, 1);
      return true;
    }
    return false;
  }
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

/** Deletes [offset, offset + count) inside one chunk, then merges the runs that became neighbours. */
function deleteInChunk(chunk: Chunk, offset: number, count: number): void {
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
function cutChunk(chunk: Chunk, offset: number): [Chunk, Chunk] {
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
function formatInChunk(
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
