import type { Node as PmNode } from '@tiptap/pm/model';
import { type EditorState, Plugin, PluginKey, type Transaction } from '@tiptap/pm/state';
import { Decoration, DecorationSet } from '@tiptap/pm/view';

/** A match of the search text, as editor positions. */
export interface Match {
  readonly from: number;
  readonly to: number;
}

// Embeds (images, dividers) are one position wide: one placeholder character each keeps offsets aligned.
const LEAF = '\ufffc';

/** Lower-cases when that keeps every offset (a few letters change length when lower-cased). */
const fold = (text: string) => {
  const lower = text.toLowerCase();
  return lower.length === text.length ? lower : text;
};

/**
 * Every match of `query` in the document, line by line (a match never spans
 * two lines), case-insensitive unless `matchCase`, in document order and not
 * overlapping.
 */
export function findMatches(doc: PmNode, query: string, matchCase = false): Match[] {
  if (query === '') return [];
  const matches: Match[] = [];
  doc.descendants((node, pos) => {
    if (!node.isTextblock) return true;
    const text = node.textBetween(0, node.content.size, undefined, LEAF);
    const caseless = !matchCase && text.toLowerCase().length === text.length;
    const hay = caseless ? text.toLowerCase() : text;
    const needle = caseless ? fold(query) : query;
    for (let i = hay.indexOf(needle); i !== -1; i = hay.indexOf(needle, i + needle.length)) {
      matches.push({ from: pos + 1 + i, to: pos + 1 + i + needle.length });
    }
    return false;
  });
  return matches;
}

/**
 * Replaces every match in ONE transaction: the binding turns one dispatch
 * into one Delta, so replace-all is one operation for the server, one step
 * for undo, and arrives at collaborators all at once. Null when nothing matches.
 */
export function replaceAll(
  state: EditorState,
  query: string,
  replacement: string,
  matchCase = false,
): Transaction | null {
  const matches = findMatches(state.doc, query, matchCase);
  if (matches.length === 0) return null;
  const tr = state.tr;
  // Last first, so the earlier positions stay valid.
  for (const { from, to } of [...matches].reverse()) {
    if (replacement === '') tr.delete(from, to);
    else tr.insertText(replacement, from, to);
  }
  return tr;
}

/** Replaces one match (one transaction, like any edit). */
export function replaceOne(state: EditorState, match: Match, replacement: string): Transaction {
  return replacement === ''
    ? state.tr.delete(match.from, match.to)
    : state.tr.insertText(replacement, match.from, match.to);
}

/** Words and characters (line breaks are not characters; an embed is one). */
export function countText(doc: PmNode): { words: number; characters: number } {
  const lines: string[] = [];
  doc.descendants((node) => {
    if (!node.isTextblock) return true;
    lines.push(node.textBetween(0, node.content.size, undefined, LEAF));
    return false;
  });
  let characters = 0;
  let words = 0;
  for (const line of lines) {
    characters += Array.from(line).length;
    words += countWords(line.replaceAll(LEAF, ' '));
  }
  return { words, characters };
}

const segmenter =
  typeof Intl !== 'undefined' && 'Segmenter' in Intl
    ? new Intl.Segmenter(undefined, { granularity: 'word' })
    : null;

function countWords(text: string): number {
  if (!segmenter) return text.split(/\s+/).filter(Boolean).length;
  let n = 0;
  for (const segment of segmenter.segment(text)) if (segment.isWordLike) n++;
  return n;
}

/** Highlights the matches of the find bar (decorations only: never part of the document or a Delta). */
const findHighlightKey = new PluginKey<DecorationSet>('findHighlight');

export function findHighlightPlugin(): Plugin<DecorationSet> {
  return new Plugin<DecorationSet>({
    key: findHighlightKey,
    state: {
      init: () => DecorationSet.empty,
      apply(tr, set) {
        const next = tr.getMeta(findHighlightKey) as DecorationSet | undefined;
        return next ?? set.map(tr.mapping, tr.doc);
      },
    },
    props: { decorations: (state) => findHighlightKey.getState(state) },
  });
}

/** The transaction that highlights `matches`, the `current` one more strongly. */
export function highlight(state: EditorState, matches: readonly Match[], current: number): Transaction {
  const set = DecorationSet.create(
    state.doc,
    matches.map((m, i) =>
      Decoration.inline(m.from, m.to, { class: i === current ? 'find-match current' : 'find-match' }),
    ),
  );
  return state.tr.setMeta(findHighlightKey, set).setMeta('addToHistory', false);
}
