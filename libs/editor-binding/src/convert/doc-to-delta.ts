import { type Node as PmNode, type Mark } from '@tiptap/pm/model';
import { type AttributeValue } from '@collab/ot';
import Delta from 'quill-delta';
import { DIVIDER_NODE, IMAGE_NODE, LINE_NODE, newlineAttributes } from '../schema/line-format';

/** Thrown when the editor document breaks the flat line model (a bug, or a foreign schema). */
export class NotADeltaDocument extends Error {
  override readonly name = 'NotADeltaDocument';
}

/** The Delta attributes of a run with these marks (undefined when plain). */
function marksToAttributes(marks: readonly Mark[]): Record<string, AttributeValue> | undefined {
  if (marks.length === 0) return undefined;
  const attrs: Record<string, AttributeValue> = {};
  for (const mark of marks) {
    const name = mark.type.name;
    if (name === 'link') {
      const href: unknown = mark.attrs.href;
      if (typeof href !== 'string') throw new NotADeltaDocument('a link without an href');
      attrs.link = href;
    } else {
      attrs[name] = true;
    }
  }
  return attrs;
}

/** The Delta insert of an inline leaf (text or embed). */
function pushInline(delta: Delta, node: PmNode, from: number, to: number): void {
  if (node.isText) {
    const text = node.text!.slice(from, to);
    if (text.length === 0) return;
    // A "\n" in editor text would be a line break the editor does not show.
    if (text.includes('\n')) throw new NotADeltaDocument('a "\\n" inside line text');
    delta.insert(text, marksToAttributes(node.marks));
    return;
  }
  switch (node.type.name) {
    case IMAGE_NODE:
      delta.insert({ image: node.attrs.src as string }, marksToAttributes(node.marks));
      return;
    case DIVIDER_NODE:
      delta.insert({ divider: true }, marksToAttributes(node.marks));
      return;
    default:
      throw new NotADeltaDocument(`inline node "${node.type.name}" has no Delta form`);
  }
}

/**
 * Appends the Delta of ProseMirror range [from, to) of a flat line document:
 * the inline content inside the range, and a "\n" (with the line's
 * attributes) for every line whose close token is inside it.
 */
export function appendRange(delta: Delta, doc: PmNode, from: number, to: number): Delta {
  let pos = 0;
  const count = doc.childCount;
  for (let i = 0; i < count && pos < to; i++) {
    const line = doc.child(i);
    const end = pos + line.nodeSize;
    if (end > from) {
      if (line.type.name !== LINE_NODE)
        throw new NotADeltaDocument(`block "${line.type.name}" is not a line`);
      const contentStart = pos + 1;
      const contentEnd = end - 1;
      const a = Math.max(from, contentStart);
      const b = Math.min(to, contentEnd);
      if (a < b) {
        let offset = contentStart;
        line.forEach((child) => {
          const childEnd = offset + child.nodeSize;
          if (childEnd > a && offset < b)
            pushInline(delta, child, Math.max(a, offset) - offset, Math.min(b, childEnd) - offset);
          offset = childEnd;
        });
      }
      if (contentEnd >= from && contentEnd < to) delta.insert('\n', newlineAttributes(line.attrs));
    }
    pos = end;
  }
  return delta;
}

/** The Delta of a whole editor document. Throws NotADeltaDocument on a document outside the model. */
export function docToDelta(doc: PmNode): Delta {
  return appendRange(new Delta(), doc, 0, doc.content.size);
}

/** The Delta of ProseMirror range [from, to). */
export function deltaBetween(doc: PmNode, from: number, to: number): Delta {
  return appendRange(new Delta(), doc, from, to);
}
