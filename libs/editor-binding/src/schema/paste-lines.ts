import { Extension } from '@tiptap/core';
import { Fragment, type Node as PmNode, type Schema, Slice } from '@tiptap/pm/model';
import { Plugin, PluginKey } from '@tiptap/pm/state';
import { LINE_NODE } from './line-format';

/**
 * A "\n" inside editor text would be a line break in the Delta that the
 * editor does not show, so the copies would disagree about positions. Pasted
 * code (a <pre> keeps its newlines) is split here into one line per "\n",
 * each with the formats of the line it came from.
 */
export function splitNewlinesInSlice(slice: Slice, schema: Schema): Slice {
  let found = false;
  slice.content.descendants((node) => {
    if (node.isText && node.text!.includes('\n')) found = true;
    return !found;
  });
  if (!found) return slice;
  const lineType = schema.nodes[LINE_NODE];
  const top: PmNode[] = [];
  let inlineOnly = true;
  slice.content.forEach((node) => {
    if (node.isBlock) inlineOnly = false;
  });
  if (inlineOnly) {
    // Inline content at the top of the slice: wrap it in one open line first.
    const wrapped = splitLine(lineType.create(null, slice.content), lineType);
    return new Slice(Fragment.from(wrapped), 1, 1);
  }
  slice.content.forEach((node) => {
    if (node.type === lineType) top.push(...splitLine(node, lineType));
    else top.push(node);
  });
  return new Slice(Fragment.from(top), slice.openStart, slice.openEnd);
}

function splitLine(line: PmNode, lineType: PmNode['type']): PmNode[] {
  const lines: PmNode[] = [];
  let current: PmNode[] = [];
  line.content.forEach((child) => {
    if (!child.isText || !child.text!.includes('\n')) {
      current.push(child);
      return;
    }
    const parts = child.text!.split('\n');
    parts.forEach((part, i) => {
      if (i > 0) {
        lines.push(lineType.create(line.attrs, current, line.marks));
        current = [];
      }
      if (part.length > 0) current.push(child.type.schema.text(part, child.marks));
    });
  });
  lines.push(lineType.create(line.attrs, current, line.marks));
  return lines;
}

/**
 * Pasted links keep only their href: Tiptap's link mark also has target, rel,
 * class and title attributes (parsed from the clipboard), which the Delta has
 * no place for; kept, they would show to this user only.
 */
export function normalizePastedLinks(slice: Slice, schema: Schema): Slice {
  const link = schema.marks.link;
  if (!link) return slice;
  let found = false;
  slice.content.descendants((node) => {
    if (
      node.marks.some(
        (m) =>
          m.type === link &&
          Object.keys(m.attrs).some((k) => k !== 'href' && m.attrs[k] !== link.create().attrs[k]),
      )
    )
      found = true;
    return !found;
  });
  if (!found) return slice;
  const clean = (fragment: Fragment): Fragment => {
    const nodes: PmNode[] = [];
    fragment.forEach((node) => {
      const marks = node.marks.map((m) =>
        m.type === link ? link.create({ href: m.attrs.href as unknown }) : m,
      );
      nodes.push(
        node.isText
          ? schema.text(node.text!, marks)
          : node.type.create(node.attrs, clean(node.content), marks),
      );
    });
    return Fragment.from(nodes);
  };
  return new Slice(clean(slice.content), slice.openStart, slice.openEnd);
}

export const PasteLines = Extension.create({
  name: 'collabPasteLines',
  addProseMirrorPlugins() {
    return [
      new Plugin({
        key: new PluginKey('collabPasteLines'),
        props: {
          transformPasted: (slice, view) =>
            normalizePastedLinks(splitNewlinesInSlice(slice, view.state.schema), view.state.schema),
        },
      }),
    ];
  },
});
