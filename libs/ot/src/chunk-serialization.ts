import Delta, { type Op } from 'quill-delta';
import { attributesEqual, type Attributes } from './attributes';
import { type Chunk } from './document-runs';

/*
 * A ChunkedDocument's chunks read out whole, for its toDelta and toText. Both
 * only read the chunks (whose attribute maps are shared and never mutated)
 * and return fresh values; chunksToDelta also merges neighbouring runs that
 * ChunkedDocument leaves apart (see the representation in chunked-document.ts).
 */

/** The chunks as a normalized quill-delta of fresh objects. */
export function chunksToDelta(chunks: readonly Chunk[]): Delta {
  const ops: Op[] = [];
  let last: Op | undefined;
  let lastAttributes: Attributes | undefined;
  for (const chunk of chunks) {
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

/** The chunks' text, with each embed as U+FFFC (OBJECT REPLACEMENT CHARACTER). */
export function chunksToText(chunks: readonly Chunk[]): string {
  let text = '';
  for (const chunk of chunks) {
    for (const run of chunk.runs) text += typeof run.insert === 'string' ? run.insert : '\ufffc';
  }
  return text;
}
