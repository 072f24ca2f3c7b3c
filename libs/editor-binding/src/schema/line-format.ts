import { type Attributes, type AttributeValue } from '@collab/ot';

/**
 * The flat document model shared with libs/ot and libs/rich-text.
 *
 * A Quill document is a list of lines; each line is inline content followed
 * by a "\n" that carries the line's block attributes (`header`, `list`,
 * `indent`, `blockquote`, `code-block`, `align`). The editor schema mirrors
 * that exactly: the document is a flat list of `line` textblocks, and the
 * block attributes are attributes of the `line` node. There is no nesting:
 *
 * - a list item is a line with `list` (bullet, ordered, checked, unchecked);
 *   its nesting depth is `indent` (0..8), drawn with CSS (ql-indent-N), as
 *   Quill and libs/rich-text do. A task item is `list: checked|unchecked`.
 * - a blockquote or code block spanning several lines is several consecutive
 *   lines with `blockquote: true` or `code-block: true`.
 *
 * Nesting schemas (StarterKit's bulletList > listItem > paragraph) cannot hold
 * every document libs/ot accepts (a header in a code block, bold text in a
 * code line, `indent: 0` distinct from no indent), and anything the editor
 * cannot hold exactly would make copies diverge. The flat model is lossless:
 * docToDelta and deltaToDoc are inverse bijections on valid documents.
 */

/** Name of the line node (a textblock: one Delta line). */
export const LINE_NODE = 'line';
/** Inline embed nodes, named like their Delta embed keys. */
export const IMAGE_NODE = 'image';
export const DIVIDER_NODE = 'divider';

/**
 * Line node attributes, keyed by their Delta name except `align`, which is
 * Tiptap TextAlign's `textAlign` so its commands and shortcuts work unchanged.
 * `newlineMarks` holds inline attributes that sit on the "\n" itself (libs/ot
 * accepts `{ insert: "\n", attributes: { bold: true } }`); it is never drawn.
 */
export const LINE_ATTRIBUTES = {
  header: 'header',
  list: 'list',
  indent: 'indent',
  blockquote: 'blockquote',
  codeBlock: 'code-block',
  align: 'textAlign',
  newlineMarks: 'newlineMarks',
} as const;

/** Block attributes as Delta names, paired with their line node attribute names. */
export const BLOCK_ATTRIBUTE_PAIRS: readonly (readonly [deltaName: string, nodeAttr: string])[] = [
  ['header', LINE_ATTRIBUTES.header],
  ['list', LINE_ATTRIBUTES.list],
  ['indent', LINE_ATTRIBUTES.indent],
  ['blockquote', LINE_ATTRIBUTES.blockquote],
  ['code-block', LINE_ATTRIBUTES.codeBlock],
  ['align', LINE_ATTRIBUTES.align],
];

const NODE_ATTR_OF: ReadonlyMap<string, string> = new Map(BLOCK_ATTRIBUTE_PAIRS);

/** The line node attribute holding Delta block attribute `deltaName`, or undefined. */
export function nodeAttrOf(deltaName: string): string | undefined {
  return NODE_ATTR_OF.get(deltaName);
}

/** Inline marks, named like their Delta attributes. Every one but `link` has the value `true`. */
export const INLINE_MARKS = ['bold', 'italic', 'underline', 'strike', 'code', 'link'] as const;
export type InlineMarkName = (typeof INLINE_MARKS)[number];

type NodeAttrs = Readonly<Record<string, unknown>>;

/**
 * The Delta attributes of the "\n" ending a line with these node attributes:
 * block attributes plus any inline attributes kept on the newline.
 */
export function newlineAttributes(attrs: NodeAttrs): Record<string, AttributeValue> | undefined {
  let out: Record<string, AttributeValue> | undefined;
  const marks = attrs[LINE_ATTRIBUTES.newlineMarks] as Attributes | null | undefined;
  if (marks) out = { ...marks };
  for (const [deltaName, nodeAttr] of BLOCK_ATTRIBUTE_PAIRS) {
    const value = attrs[nodeAttr];
    if (value === null || value === undefined) continue;
    (out ??= {})[deltaName] = value as AttributeValue;
  }
  return out;
}

/**
 * Line node attributes for a "\n" with these Delta attributes. The caller has
 * validated them (libs/ot validateDocument/parseOp): keys are allow-listed and
 * values in range. Inline keys go to `newlineMarks`.
 */
export function lineAttrsFromNewline(
  attributes: Readonly<Record<string, unknown>> | undefined,
): Record<string, unknown> {
  const attrs: Record<string, unknown> = {};
  for (const [, nodeAttr] of BLOCK_ATTRIBUTE_PAIRS) attrs[nodeAttr] = null;
  attrs[LINE_ATTRIBUTES.newlineMarks] = null;
  if (!attributes) return attrs;
  let marks: Record<string, AttributeValue> | null = null;
  for (const key of Object.keys(attributes)) {
    const value = attributes[key];
    if (value === null || value === undefined) continue;
    const nodeAttr = NODE_ATTR_OF.get(key);
    if (nodeAttr !== undefined) attrs[nodeAttr] = value;
    else (marks ??= {})[key] = value as AttributeValue;
  }
  attrs[LINE_ATTRIBUTES.newlineMarks] = marks;
  return attrs;
}

/** The Delta attribute change turning `before` into `after` (null removes), or undefined when equal. */
export function attributesChange(
  before: Readonly<Record<string, unknown>> | undefined,
  after: Readonly<Record<string, unknown>> | undefined,
): Record<string, AttributeValue | null> | undefined {
  let change: Record<string, AttributeValue | null> | undefined;
  if (after) {
    for (const key of Object.keys(after)) {
      if (before?.[key] !== after[key]) (change ??= {})[key] = after[key] as AttributeValue;
    }
  }
  if (before) {
    for (const key of Object.keys(before)) {
      if (after?.[key] === undefined) (change ??= {})[key] = null;
    }
  }
  return change;
}
