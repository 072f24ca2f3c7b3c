import { isForeign, safeColor } from '@collab/editor-binding';
import type { Node as PmNode } from '@tiptap/pm/model';
import { type EditorState, Plugin, PluginKey, type Transaction } from '@tiptap/pm/state';
import { Decoration, DecorationSet } from '@tiptap/pm/view';
import type Delta from 'quill-delta';
import type { AuthorLook } from './diff-highlight';
import { whenLabel } from './session-label';

/** Who wrote a run of the live document, and when. */
export interface Authorship extends AuthorLook {
  readonly userId: string;
  /** ISO time the run was written. */
  readonly at: string;
}

/** A run to colour: ProseMirror positions in the document of the transaction carrying it. */
export interface PaintRange {
  readonly from: number;
  readonly to: number;
  readonly by: Authorship;
}

interface AuthorHighlightState {
  readonly on: boolean;
  readonly set: DecorationSet;
}

type AuthorMeta =
  | { readonly type: 'show' | 'hide' }
  /** `under`: colour only what has no author yet (the attribution loaded after live edits were coloured). */
  | { readonly type: 'paint'; readonly ranges: readonly PaintRange[]; readonly under?: boolean };

export const authorHighlightKey = new PluginKey<AuthorHighlightState>('authorHighlight');

function decoration(from: number, to: number, by: Authorship): Decoration {
  return Decoration.inline(
    from,
    to,
    {
      class: 'author-run',
      style: `--author-color: ${safeColor(by.color)}`,
      title: `${by.name}, ${whenLabel(by.at)}`,
      'data-author': by.userId,
    },
    // Typing at the edge of someone's run is not their text: it gets its own colour.
    { inclusiveStart: false, inclusiveEnd: false, by },
  );
}

/** Colours [from, to) as `by`'s, replacing whatever colour was there (or, `under`, only where there was none). */
function paint(set: DecorationSet, doc: PmNode, range: PaintRange, under = false): DecorationSet {
  const { from, to } = range;
  if (to <= from) return set;
  const existing = set.find(from, to).filter((d) => d.from < to && d.to > from);
  if (under) {
    const gaps: Decoration[] = [];
    let at = from;
    for (const d of [...existing].sort((a, b) => a.from - b.from)) {
      if (d.from > at) gaps.push(decoration(at, d.from, range.by));
      at = Math.max(at, d.to);
    }
    if (at < to) gaps.push(decoration(at, to, range.by));
    return set.add(doc, gaps);
  }
  // Cut the overlapped runs back to what lies outside [from, to).
  const kept: Decoration[] = [];
  for (const d of existing) {
    const by = (d.spec as { by: Authorship }).by;
    if (d.from < from) kept.push(decoration(d.from, from, by));
    if (d.to > to) kept.push(decoration(to, d.to, by));
  }
  return set.remove(existing).add(doc, [...kept, decoration(from, to, range.by)]);
}

/** What a local transaction inserted, as ranges of its resulting document. */
function insertedRanges(tr: Transaction): { from: number; to: number }[] {
  const ranges: { from: number; to: number }[] = [];
  tr.mapping.maps.forEach((map, i) => {
    const rest = tr.mapping.slice(i + 1);
    map.forEach((_oldStart, _oldEnd, newStart, newEnd) => {
      const from = rest.map(newStart, 1);
      const to = rest.map(newEnd, -1);
      if (to > from) ranges.push({ from, to });
    });
  });
  return ranges;
}

/**
 * "Show authors": colours the live document by who wrote each run (hover:
 * name and time). While it is on, the person's own edits take their colour
 * here (`me`), others' arrive as `paint` ranges (see remoteInsertions), and
 * every decoration moves with the document's changes. Off, it costs nothing.
 */
export function authorHighlightPlugin(me: () => Omit<Authorship, 'at'> | null): Plugin<AuthorHighlightState> {
  return new Plugin<AuthorHighlightState>({
    key: authorHighlightKey,
    state: {
      init: () => ({ on: false, set: DecorationSet.empty }),
      apply(tr, value) {
        const meta = tr.getMeta(authorHighlightKey) as AuthorMeta | undefined;
        if (meta?.type === 'show') return { on: true, set: DecorationSet.empty };
        if (meta?.type === 'hide') return { on: false, set: DecorationSet.empty };
        if (!value.on) return value;
        let set = value.set.map(tr.mapping, tr.doc);
        if (meta?.type === 'paint') {
          for (const range of meta.ranges) set = paint(set, tr.doc, range, meta.under);
        } else if (tr.docChanged && !isForeign(tr)) {
          const author = me();
          if (author) {
            const by = { ...author, at: new Date().toISOString() };
            for (const range of insertedRanges(tr)) set = paint(set, tr.doc, { ...range, by });
          }
        }
        return { on: true, set };
      },
    },
    props: { decorations: (state) => authorHighlightKey.getState(state)?.set },
  });
}

export const authorHighlightMeta = (meta: AuthorMeta) => [authorHighlightKey, meta] as const;

export const authorsShown = (state: EditorState) => authorHighlightKey.getState(state)?.on ?? false;

/**
 * The Delta ranges (of the document after it) that a remote change
 * inserted: what the SDK applied for someone else's operation, already
 * transformed against this client's pending edits.
 */
export function remoteInsertions(change: Delta): { from: number; to: number }[] {
  const ranges: { from: number; to: number }[] = [];
  let at = 0;
  for (const op of change.ops) {
    if (op.insert !== undefined) {
      const length = typeof op.insert === 'string' ? op.insert.length : 1;
      const last = ranges[ranges.length - 1];
      if (last && last.to === at) last.to = at + length;
      else ranges.push({ from: at, to: at + length });
      at += length;
    } else if (typeof op.retain === 'number') at += op.retain;
    else if (op.retain !== undefined) at += 1;
  }
  return ranges;
}
