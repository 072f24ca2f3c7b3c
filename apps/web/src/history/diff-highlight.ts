import { indexToPm, pmRange, safeColor } from '@collab/editor-binding';
import type { Node as PmNode } from '@tiptap/pm/model';
import { Plugin, PluginKey } from '@tiptap/pm/state';
import { Decoration, DecorationSet } from '@tiptap/pm/view';
import { type ChangeStop, type DiffMark, shownAuthor } from './diff-display';
import { whenLabel } from './session-label';

/** Someone's name and colour, for highlights and their hover text. */
export interface AuthorLook {
  readonly name: string;
  readonly color: string;
}

export const diffHighlightKey = new PluginKey<DecorationSet>('diffHighlight');

/** Holds the decorations of a version view; set them with a transaction carrying them as meta. */
export function diffHighlightPlugin(): Plugin<DecorationSet> {
  return new Plugin<DecorationSet>({
    key: diffHighlightKey,
    state: {
      init: () => DecorationSet.empty,
      apply: (tr, set) =>
        (tr.getMeta(diffHighlightKey) as DecorationSet | undefined) ?? set.map(tr.mapping, tr.doc),
    },
    props: { decorations: (state) => diffHighlightKey.getState(state) },
  });
}

const VERB = { insert: 'Added', delete: 'Deleted', format: 'Formatting changed' } as const;

function describe(mark: DiffMark, authors: ReadonlyMap<string, AuthorLook>): string {
  if (mark.kind === 'format') return VERB.format;
  const name = (userId: string | null | undefined) =>
    userId ? (authors.get(userId)?.name ?? 'someone') : 'nobody';
  const when = (at: string | null | undefined) => (at ? `, ${whenLabel(at)}` : '');
  if (mark.kind === 'insert') return `${VERB.insert} by ${name(mark.author)}${when(mark.at)}`;
  // A history stored before deletions were recorded knows only who wrote the deleted text.
  if (!mark.deletedBy) return `${VERB.delete} text by ${name(mark.author)}${when(mark.at)}`;
  return `${VERB.delete} by ${name(mark.deletedBy)}${when(mark.deletedAt)} (written by ${name(mark.author)})`;
}

function lineEndWidget(mark: DiffMark, attrs: Record<string, string>): () => HTMLElement {
  return () => {
    const span = document.createElement('span');
    for (const [name, value] of Object.entries(attrs)) span.setAttribute(name, value);
    span.classList.add('diff-newline');
    // Drawn, not read: the change list says what happened to the line.
    span.setAttribute('aria-hidden', 'true');
    span.textContent = '¶';
    return span;
  };
}

/**
 * The decorations showing `marks` on `doc` (the display document of
 * diffDisplay): inserted text as `<ins>` in its author's colour, deleted
 * text as `<del>`, reformatted text underlined; a line end that was added or
 * removed as a pilcrow, a line whose format changed with a bar beside it.
 * `current`, the change stepped to, is outlined.
 */
export function diffDecorations(
  doc: PmNode,
  marks: readonly DiffMark[],
  authors: ReadonlyMap<string, AuthorLook>,
  current: ChangeStop | null,
): DecorationSet {
  const decorations: Decoration[] = [];
  for (const mark of marks) {
    // Inserted text in its writer's colour, deleted text in its deleter's.
    const who = shownAuthor(mark);
    const color = who ? safeColor(authors.get(who)?.color ?? '') : '#888888';
    const attrs: Record<string, string> = {
      class: `diff-${mark.kind}`,
      title: describe(mark, authors),
      style: `--author-color: ${color}`,
      ...(who ? { 'data-author': who } : {}),
    };
    if (!mark.newline) {
      const [from, to] = pmRange(doc, mark.from, mark.to);
      const nodeName = mark.kind === 'insert' ? 'ins' : mark.kind === 'delete' ? 'del' : 'span';
      decorations.push(Decoration.inline(from, to, { ...attrs, nodeName }));
      continue;
    }
    const pos = indexToPm(doc, mark.from);
    if (mark.kind === 'format') {
      const $pos = doc.resolve(pos);
      const line = $pos.before(1);
      decorations.push(
        Decoration.node(line, line + $pos.parent.nodeSize, { class: 'diff-format-line', title: attrs.title }),
      );
    } else {
      decorations.push(
        Decoration.widget(pos, lineEndWidget(mark, attrs), { side: -1, key: `nl-${mark.kind}-${mark.from}` }),
      );
    }
  }
  if (current) {
    const [from, to] = pmRange(doc, current.from, current.to);
    if (to > from) decorations.push(Decoration.inline(from, to, { class: 'diff-current' }));
  }
  return DecorationSet.create(doc, decorations);
}
