import type { DiffChange } from '@collab/contracts';
import { collabSchema, deltaToDoc } from '@collab/editor-binding';
import type { Node as PmNode } from '@tiptap/pm/model';
import type { Decoration } from '@tiptap/pm/view';
import type { Op } from 'quill-delta';
import { changeStops, diffDisplay } from './diff-display';
import { diffDecorations } from './diff-highlight';

const ANA = '00000000-0000-4000-8000-00000000000a';
const BRUNO = '00000000-0000-4000-8000-00000000000b';
const AT = '2026-12-07T10:42:00.000Z';
const LOOKS = new Map([
  [ANA, { name: 'Ana', color: '#aa0000' }],
  [BRUNO, { name: 'Bruno', color: '#0000aa' }],
]);

function laidOut(to: Op[], ops: Op[], changes: DiffChange[]) {
  const { display, marks } = diffDisplay(to, { ops: ops as never, changes });
  const built = deltaToDoc(collabSchema(), display);
  if (!built.ok) throw new Error(built.message);
  return { doc: built.value, marks };
}

/** Each decoration as "kind:text:attrs" (widgets as their position). */
function summary(doc: PmNode, decorations: Decoration[]) {
  return decorations
    .sort((a, b) => a.from - b.from)
    .map((d) => {
      const spec = (d as unknown as { type: { attrs?: Record<string, string> } }).type.attrs ?? {};
      const text = d.from === d.to ? `@${d.from}` : doc.textBetween(d.from, d.to, '|');
      return `${spec.nodeName ?? spec.class ?? 'widget'}:${text}:${spec['data-author'] === BRUNO ? 'bruno' : spec['data-author'] === ANA ? 'ana' : '-'}`;
    });
}

describe('diffDecorations', () => {
  it('draws insertions as <ins> and deletions as <del> in the right colours, line ends as widgets', () => {
    // from: "Hello old\n" (Ana's); to: "Hello new\nline\n" (Bruno replaced "old", added a line).
    const { doc, marks } = laidOut(
      [{ insert: 'Hello new\nline\n' }],
      [{ retain: 6 }, { delete: 3 }, { insert: 'new' }, { retain: 1 }, { insert: 'line\n' }],
      [
        { kind: 'retain' },
        {
          kind: 'delete',
          author: ANA,
          at: AT,
          deletedBy: BRUNO,
          deletedAt: AT,
          deleted: [{ insert: 'old' }],
        },
        { kind: 'insert', author: BRUNO, at: AT },
        { kind: 'retain' },
        { kind: 'insert', author: BRUNO, at: AT },
      ],
    );
    const set = diffDecorations(doc, marks, LOOKS, null);
    expect(summary(doc, set.find())).toEqual([
      'del:old:bruno',
      'ins:new:bruno',
      'ins:line:bruno',
      // The inserted line end, drawn at the end of its line's text.
      `widget:@${doc.child(0).nodeSize + 1 + 'line'.length}:-`,
    ]);
    const del = set.find().find((d) => d.from === 7)!;
    const attrs = (del as unknown as { type: { attrs: Record<string, string> } }).type.attrs;
    // Deleted text in its deleter's colour; the hover names both.
    expect(attrs.style).toBe('--author-color: #0000aa');
    expect(attrs.title).toMatch(/^Deleted by Bruno, .* \(written by Ana\)$/);
  });

  it('marks a reformatted line with a bar, and outlines the change stepped to', () => {
    const { doc, marks } = laidOut(
      [{ insert: 'Title' }, { insert: '\n', attributes: { header: 1 } }, { insert: 'body\n' }],
      [{ retain: 5 }, { retain: 1, attributes: { header: 1 } }, { retain: 4, attributes: { bold: true } }],
      [{ kind: 'retain' }, { kind: 'format' }, { kind: 'format' }],
    );
    // The line end's format and the next line's touch: one stop.
    const stops = changeStops(marks);
    expect(stops).toHaveLength(1);
    const set = diffDecorations(doc, marks, LOOKS, stops[0]);
    expect(summary(doc, set.find())).toEqual([
      'diff-format-line:Title:-',
      // From the end of the title's line (its reformatted line end) through "body".
      'diff-current:|body:-',
      'span:body:-',
    ]);
  });
});
