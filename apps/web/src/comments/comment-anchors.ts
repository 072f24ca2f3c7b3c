import type { Anchor } from '@collab/contracts';
import { pmRange } from '@collab/editor-binding';
import { transformAnchorThrough } from '@collab/ot';
import type { Node as PmNode } from '@tiptap/pm/model';
import type Delta from 'quill-delta';

/** Where a thread's highlight is: ProseMirror positions in the editor's document. */
export interface HighlightRange {
  readonly threadId: string;
  readonly from: number;
  readonly to: number;
}

/** What a highlight needs of a thread. */
export interface AnchoredThread {
  readonly id: string;
  readonly anchor: Anchor;
  readonly resolved: boolean;
}

/**
 * Moves every anchor through the operation committed as `version`.
 *
 * An anchor already at `version` or later (the server's answer was newer
 * than this client's stream) stays as it is: it already holds there. One
 * older than `version - 1` missed an operation; it cannot be moved without
 * it, so `gap` tells the caller to read the list again (the server's anchors
 * then replace these).
 */
export function advanceAnchors(
  anchors: ReadonlyMap<string, Anchor>,
  version: number,
  delta: Delta,
): { anchors: Map<string, Anchor>; gap: boolean } {
  const out = new Map<string, Anchor>();
  let gap = false;
  for (const [id, anchor] of anchors) {
    if (anchor.version >= version) out.set(id, anchor);
    else if (anchor.version === version - 1)
      out.set(id, transformAnchorThrough(anchor, [{ version, delta }]));
    else {
      gap = true;
      out.set(id, anchor);
    }
  }
  return { anchors: out, gap };
}

/**
 * The highlights of the open threads in `doc`, a document at the anchors'
 * version: resolved and detached threads leave the text. Ranges are clamped
 * to the document (an anchor past its end would be a stale one: it shows
 * what is left of it, never throws).
 */
export function highlightRanges(doc: PmNode, threads: readonly AnchoredThread[]): HighlightRange[] {
  const length = doc.content.size - doc.childCount;
  const ranges: HighlightRange[] = [];
  for (const { id, anchor, resolved } of threads) {
    if (resolved || anchor.detached) continue;
    const start = Math.min(anchor.from, length);
    const end = Math.min(anchor.to, length);
    if (end <= start) continue;
    const [from, to] = pmRange(doc, start, end);
    if (to > from) ranges.push({ threadId: id, from, to });
  }
  return ranges;
}
