import { transformAnchor, type AnchorStep, type CommentAnchor } from '@collab/ot';
import type { EntityManager } from 'typeorm';
import { loadOperationsAfter } from '../repositories/operation.repository';
import type { StoredDelta } from '../stored-delta';

/** Operations read per query while moving anchors. */
const DEFAULT_PAGE_SIZE = 2000;

/** The log has no operation `missing`, which an anchor needs to reach the version asked for. */
export class AnchorLogGapError extends Error {
  constructor(
    readonly documentId: string,
    readonly missing: number,
  ) {
    super(`document ${documentId}: operation ${missing} is missing, so anchors cannot be moved past it`);
    this.name = 'AnchorLogGapError';
  }
}

/**
 * Moves each anchor from the version it holds at to `version` (at or below
 * the document's head), through the logged operations in version order:
 * the one order every replica uses, so everyone sees the same range at the
 * same version. The log is read once, from the oldest anchor's version, in
 * pages; an anchor already at or past `version` is returned as it is.
 *
 * @throws AnchorLogGapError when the log lacks an operation in between.
 */
export async function anchorsAtVersion<K>(
  manager: EntityManager,
  documentId: string,
  anchors: ReadonlyMap<K, CommentAnchor>,
  version: number,
  options: { pageSize?: number } = {},
): Promise<Map<K, CommentAnchor>> {
  const out = new Map(anchors);
  const behind = [...anchors.values()].filter((a) => a.version < version);
  if (behind.length === 0) return out;
  const pageSize = options.pageSize ?? DEFAULT_PAGE_SIZE;
  let at = Math.min(...behind.map((a) => a.version));
  while (at < version) {
    const page = await loadOperationsAfter(manager, documentId, at, Math.min(pageSize, version - at));
    if (page.length === 0) throw new AnchorLogGapError(documentId, at + 1);
    for (const operation of page) {
      if (operation.version !== at + 1) throw new AnchorLogGapError(documentId, at + 1);
      for (const [key, anchor] of out) {
        // An anchor at version v moves through operation v + 1 and every later one.
        // Every logged operation passed parseOp and validateOp when it was committed.
        if (anchor.version === at)
          out.set(key, transformAnchor(anchor, operation.delta as unknown as AnchorStep));
      }
      at = operation.version;
    }
  }
  return out;
}

/**
 * The text `[from, to)` of a document (a Delta ops array), embeds as U+FFFC,
 * cut at `maxLength` code units (on a code point boundary) with an ellipsis.
 */
export function quoteOf(document: StoredDelta, from: number, to: number, maxLength: number): string {
  let text = '';
  let at = 0;
  for (const op of document) {
    if (at >= to) break;
    const insert = (op as { insert?: unknown }).insert;
    const piece = typeof insert === 'string' ? insert : '\uFFFC';
    const start = Math.max(from - at, 0);
    const end = Math.min(to - at, piece.length);
    if (end > start) text += piece.slice(start, end);
    at += piece.length;
  }
  if (text.length <= maxLength) return text;
  let cut = maxLength;
  const code = text.charCodeAt(cut - 1);
  if (code >= 0xd800 && code <= 0xdbff) cut -= 1; // never end on half a surrogate pair
  return `${text.slice(0, cut)}…`;
}
