import type Delta from 'quill-delta';
import type { Op } from 'quill-delta';
import { type AttributeChanges, type Attributes, type Embed } from './attributes';
import { chunksToDelta, chunksToText } from './chunk-serialization';
import {
  type Chunk,
  type ChunkLimits,
  chunksOf,
  copyAttributes,
  cutChunk,
  deleteInChunk,
  formatInChunk,
  insertInChunk,
  mergeSmall,
  type Run,
  runLength,
  splitChunk,
} from './document-runs';
import { FenwickTree } from './fenwick-tree';

/*
 * Representation
 * --------------
 * The document is a sequence of chunks; a chunk is a short array of runs; a
 * run is a text string or one embed, with one attribute map (document-runs.ts
 * holds both, and the edits inside one chunk). Invariants kept after every
 * public call:
 *   - no chunk is empty (the empty document has no chunks at all);
 *   - a chunk holds at most chunkMax code units (1024 by default) and maxRuns
 *     runs (64), so finding a run inside a chunk and editing its string cost
 *     O(chunkMax);
 *   - `tree` is a Fenwick tree over the chunk lengths (fenwick-tree.ts), so
 *     finding the chunk that holds a position costs O(log chunks) and so does
 *     a length change;
 *     splitting, merging or removing chunks rebuilds it in O(chunks), which
 *     happens about once per chunkMax / 2 inserted or deleted code units;
 *   - attribute maps are never mutated once stored, so runs share them: an
 *     insert stores one copy for all its characters, and formatting a range
 *     maps each distinct old map to one new map.
 * Runs are not always maximal (two neighbours may have equal attributes, for
 * instance across a chunk boundary); toDelta() merges them
 * (chunk-serialization.ts), which is where the normalization of quill-delta's
 * compose is reproduced.
 *
 * Chunks may split a surrogate pair between them: positions here are UTF-16
 * code units, exactly like quill-delta, and validateOp is what keeps
 * operation boundaries off the middle of a pair.
 *
 * Every private method below keeps the invariants above on the same chunks
 * and tree, so they stay with the class; the runs (document-runs.ts), the
 * tree (fenwick-tree.ts) and reading the chunks out (chunk-serialization.ts)
 * are apart.
 */

/** Tuning knobs of {@link ChunkedDocument}; the defaults suit production, tests use tiny chunks. */
export interface ChunkedDocumentOptions {
  /** Most code units per chunk (default 1024, at least 4). New and split chunks hold about half. */
  readonly chunkSize?: number;
  /** Most runs per chunk (default 64, at least 2). */
  readonly maxRuns?: number;
}

/**
 * A quill-delta document (inserts only) held in bounded chunks so that
 * applying an operation costs about O(log n + operation size) instead of
 * copying the whole document, as `Delta#compose` does. It is the
 * doc-service actor's copy of a document and the SDK's local copy
 * (libs/client `LocalDocument`) alike.
 *
 * `apply` trusts its input: pass only operations accepted by `validateOp`
 * against this very document (or built by this library from such operations).
 * Its result is the same as `oldDelta.compose(op)`: `toDelta()` returns that
 * delta, normalized the way quill-delta normalizes.
 */
export class ChunkedDocument {
  private chunks: Chunk[] = [];
  private readonly tree = new FenwickTree();
  private readonly limits: ChunkLimits;

  private constructor(options: ChunkedDocumentOptions) {
    const chunkMax = Math.max(4, Math.floor(options.chunkSize ?? 1024));
    this.limits = {
      chunkMax,
      chunkTarget: chunkMax >> 1,
      chunkMin: chunkMax >> 3,
      maxRuns: Math.max(2, Math.floor(options.maxRuns ?? 64)),
    };
  }

  /** The document "\n": one empty line. */
  static empty(options: ChunkedDocumentOptions = {}): ChunkedDocument {
    return ChunkedDocument.fromDelta([{ insert: '\n' }], options);
  }

  /**
   * Builds a document from a delta of inserts (or its ops). The input is trusted
   * and copied; check untrusted input with `validateDocument` first.
   * @throws TypeError when an op is not an insert.
   */
  static fromDelta(delta: Delta | readonly Op[], options: ChunkedDocumentOptions = {}): ChunkedDocument {
    const ops = Array.isArray(delta) ? (delta as readonly Op[]) : (delta as Delta).ops;
    const doc = new ChunkedDocument(options);
    doc.chunks = chunksOf(ops, doc.limits);
    doc.tree.rebuild(doc.chunks);
    return doc;
  }

  /** Length in quill-delta units: UTF-16 code units, embeds count 1. */
  get length(): number {
    return this.tree.total;
  }

  /**
   * The UTF-16 code unit at `index`, -1 for an embed, NaN outside the document
   * (like `String#charCodeAt`).
   */
  codeUnitAt(index: number): number {
    if (!(index >= 0 && index < this.tree.total) || !Number.isInteger(index)) return NaN;
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
    if (start < 0 || start + count > this.tree.total) return false;
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
    return chunksToDelta(this.chunks);
  }

  /** The document's text, with each embed as U+FFFC (OBJECT REPLACEMENT CHARACTER). */
  toText(): string {
    return chunksToText(this.chunks);
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
    const n = this.chunks.length;
    let index = this.tree.search(pos);
    let rest = this.tree.remainder;
    if (index === n && n > 0) {
      index = n - 1;
      rest = this.chunks[index].length;
    }
    this.locatedOffset = rest;
    return index;
  }

  // ---- edits ---------------------------------------------------------------

  private insertText(pos: number, text: string, attributes: Attributes | undefined): void {
    if (text.length <= this.limits.chunkMax) {
      this.insertRun(pos, { insert: text, attributes });
      return;
    }
    // A long paste: cut the chunk at pos and put whole new chunks in between.
    const pieces: Chunk[] = [];
    const { chunkTarget } = this.limits;
    for (let at = 0; at < text.length; at += chunkTarget) {
      const piece = text.slice(at, at + chunkTarget);
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
    this.tree.rebuild(this.chunks);
  }

  private insertRun(pos: number, run: Run): void {
    const length = runLength(run);
    if (this.chunks.length === 0) {
      this.chunks.push({ runs: [run], length });
      this.tree.rebuild(this.chunks);
      return;
    }
    const c = this.locateChunk(pos);
    const chunk = this.chunks[c];
    insertInChunk(chunk, this.locatedOffset, run);
    if (chunk.length > this.limits.chunkMax || chunk.runs.length > this.limits.maxRuns) {
      this.splitChunk(c);
      this.tree.rebuild(this.chunks);
    } else {
      this.tree.add(c, length);
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
      this.tree.add(partialFirst, -shrinkFirst);
      if (partialLast >= 0) this.tree.add(partialLast, -shrinkLast);
      const mergedNext = mergeSmall(this.chunks, first + 1, this.limits);
      const mergedFirst = mergeSmall(this.chunks, first, this.limits);
      if (mergedNext || mergedFirst) this.tree.rebuild(this.chunks);
      return;
    }
    this.chunks.splice(removeFrom, removeTo - removeFrom);
    // The partial chunks, if any, now sit either side of removeFrom.
    mergeSmall(this.chunks, removeFrom, this.limits);
    mergeSmall(this.chunks, removeFrom - 1, this.limits);
    this.tree.rebuild(this.chunks);
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
      if (chunk.runs.length > this.limits.maxRuns) {
        const added = this.splitChunk(c);
        c += added;
        structural = true;
      }
      left -= take;
      offset = 0;
      c++;
    }
    if (structural) this.tree.rebuild(this.chunks);
  }

  /** Splits chunk c into pieces of at most chunkMax / 2 units and maxRuns / 2 runs; returns how many chunks were added. */
  private splitChunk(c: number): number {
    const pieces = splitChunk(this.chunks[c], this.limits);
    this.chunks.splice(c, 1, ...pieces);
    return pieces.length - 1;
  }
}
