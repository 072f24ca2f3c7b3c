import { type TagParseRule } from '@tiptap/pm/model';
import { LINE_ATTRIBUTES } from './line-format';
import { MAX_INDENT } from './line-commands';

/*
 * Pasted or dropped HTML becomes flat lines. Each block element that holds
 * inline content becomes one line; the formats come from the element and its
 * ancestors: a <p> inside <blockquote> is a quoted line, an <li> nested in two
 * lists is a list line with indent 1, a line inside <pre> is a code line.
 * Quill's own markup (data-list, ql-indent-N) and Tiptap's task lists
 * (data-type="taskItem", data-checked) are understood too.
 */

const BLOCK_TAGS = new Set([
  'P',
  'H1',
  'H2',
  'H3',
  'H4',
  'H5',
  'H6',
  'LI',
  'BLOCKQUOTE',
  'PRE',
  'DIV',
  'UL',
  'OL',
]);

function hasBlockChild(element: HTMLElement): boolean {
  for (let child = element.firstElementChild; child; child = child.nextElementSibling) {
    if (BLOCK_TAGS.has(child.tagName)) return true;
  }
  return false;
}

function closest(element: HTMLElement, tag: string): HTMLElement | null {
  for (let el: HTMLElement | null = element; el; el = el.parentElement) if (el.tagName === tag) return el;
  return null;
}

function listOf(li: HTMLElement): string {
  const quill = li.getAttribute('data-list');
  if (quill === 'bullet' || quill === 'ordered' || quill === 'checked' || quill === 'unchecked') return quill;
  const checked = li.getAttribute('data-checked');
  if (checked !== null || li.getAttribute('data-type') === 'taskItem') {
    return checked === 'true' || checked === '' ? 'checked' : 'unchecked';
  }
  return li.parentElement?.tagName === 'OL' ? 'ordered' : 'bullet';
}

/** The line formats implied by a block element and its ancestors (null where absent). */
export function lineAttrsFromElement(element: HTMLElement): Record<string, unknown> {
  const attrs: Record<string, unknown> = {
    [LINE_ATTRIBUTES.header]: null,
    [LINE_ATTRIBUTES.list]: null,
    [LINE_ATTRIBUTES.indent]: null,
    [LINE_ATTRIBUTES.blockquote]: null,
    [LINE_ATTRIBUTES.codeBlock]: null,
  };
  const heading = /^H([1-6])$/.exec(element.tagName);
  if (heading) attrs[LINE_ATTRIBUTES.header] = Number(heading[1]);
  const li = closest(element, 'LI');
  let indent = 0;
  if (li) {
    attrs[LINE_ATTRIBUTES.list] = listOf(li);
    for (let el = li.parentElement; el; el = el.parentElement) if (el.tagName === 'LI') indent++;
  }
  const quillIndent = /(?:^|\s)ql-indent-(\d)(?:\s|$)/.exec(element.className || li?.className || '');
  if (quillIndent) indent = Number(quillIndent[1]);
  if (indent > 0) attrs[LINE_ATTRIBUTES.indent] = Math.min(indent, MAX_INDENT);
  if (closest(element, 'BLOCKQUOTE')) attrs[LINE_ATTRIBUTES.blockquote] = true;
  if (closest(element, 'PRE')) attrs[LINE_ATTRIBUTES.codeBlock] = true;
  return attrs;
}

/** Parse rules for the line node: any block element without block children is a line. */
export function lineParseRules(): TagParseRule[] {
  const leaf = (element: HTMLElement) => (hasBlockChild(element) ? false : null);
  return [
    { tag: 'p', getAttrs: (el) => leaf(el as HTMLElement) },
    ...[1, 2, 3, 4, 5, 6].map((level) => ({ tag: `h${level}` })),
    { tag: 'li', getAttrs: (el) => leaf(el as HTMLElement) },
    { tag: 'blockquote', getAttrs: (el) => leaf(el as HTMLElement) },
    { tag: 'div', getAttrs: (el) => leaf(el as HTMLElement), priority: 10 },
    // Code keeps its spaces; its newlines are split into lines when pasted (see paste-lines.ts).
    { tag: 'pre', preserveWhitespace: 'full', getAttrs: (el) => leaf(el as HTMLElement) },
  ];
}
