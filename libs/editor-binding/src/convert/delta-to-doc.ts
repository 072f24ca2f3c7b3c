import { type Mark, type Node as PmNode, type Schema } from '@tiptap/pm/model';
import { type OtResult, validateDocument } from '@collab/ot';
import type Delta from 'quill-delta';
import { DIVIDER_NODE, IMAGE_NODE, LINE_NODE, lineAttrsFromNewline, nodeAttrOf } from '../schema/line-format';

/** The marks for a run with these (validated) inline Delta attributes. */
export function attributesToMarks(
  schema: Schema,
  attributes: Readonly<Record<string, unknown>> | undefined,
): Mark[] {
  if (!attributes) return [];
  const marks: Mark[] = [];
  for (const key of Object.keys(attributes)) {
    const value = attributes[key];
    // Block attributes belong to the line (see lineAttrsFromNewline), not to marks.
    if (value === null || value === undefined || nodeAttrOf(key) !== undefined) continue;
    const type = schema.marks[key];
    // Validation admits inline keys only on text and embeds; every one is a mark of the schema.
    if (!type) throw new Error(`the schema has no mark "${key}"`);
    marks.push(key === 'link' ? type.create({ href: value }) : type.create());
  }
  return marks;
}

/** The inline node of an embed insert (validated: `{ image: url }` or `{ divider: true }`). */
function embedNode(schema: Schema, embed: Readonly<Record<string, unknown>>, marks: readonly Mark[]): PmNode {
  if (typeof embed.image === 'string')
    return schema.nodes[IMAGE_NODE].create({ src: embed.image }, null, marks);
  return schema.nodes[DIVIDER_NODE].create(null, null, marks);
}

/**
 * Builds lines from Delta inserts: `onLine` receives each completed line
 * (its inline nodes and its "\n" attributes). Returns the inline nodes after
 * the last "\n" (empty for a document).
 */
export function collectLines(
  schema: Schema,
  ops: Delta['ops'],
  onLine: (inline: PmNode[], attrs: Record<string, unknown>) => void,
): PmNode[] {
  let inline: PmNode[] = [];
  for (const op of ops) {
    const insert = op.insert;
    if (typeof insert === 'string') {
      const marks = attributesToMarks(schema, op.attributes);
      let start = 0;
      for (let nl = insert.indexOf('\n'); nl !== -1; nl = insert.indexOf('\n', start)) {
        // The text and the "\n" of one insert share its attributes: inline ones (validation refuses
        // block attributes on text), which on the "\n" become the line's newlineMarks.
        if (nl > start) inline.push(schema.text(insert.slice(start, nl), marks));
        onLine(inline, lineAttrsFromNewline(op.attributes));
        inline = [];
        start = nl + 1;
      }
      if (start < insert.length) inline.push(schema.text(insert.slice(start), marks));
    } else if (insert !== undefined && insert !== null) {
      inline.push(
        embedNode(schema, insert as Record<string, unknown>, attributesToMarks(schema, op.attributes)),
      );
    }
  }
  return inline;
}

/**
 * The editor document for a Delta document. The input is untrusted: it is
 * checked with libs/ot's validateDocument first, and an invalid one is
 * refused with its error code.
 */
export function deltaToDoc(schema: Schema, delta: unknown): OtResult<PmNode> {
  const checked = validateDocument(delta);
  if (!checked.ok) return checked;
  const lineType = schema.nodes[LINE_NODE];
  const lines: PmNode[] = [];
  collectLines(schema, checked.value.ops, (inline, attrs) => lines.push(lineType.create(attrs, inline)));
  const doc = schema.topNodeType.create(null, lines);
  doc.check();
  return { ok: true, value: doc };
}
