import type { DiffChange } from '@collab/contracts';
import Delta, { type Op } from 'quill-delta';
import { changeStops, diffDisplay, nextStop } from './diff-display';

const ANA = '00000000-0000-4000-8000-00000000000a';
const BRUNO = '00000000-0000-4000-8000-00000000000b';
const AT = '2026-12-07T10:42:00.000Z';

const insert = (author: string): DiffChange => ({ kind: 'insert', author, at: AT });
const del = (author: string, deleted: Op[], deletedBy: string | null = null): DiffChange => ({
  kind: 'delete',
  author,
  at: AT,
  deletedBy,
  deletedAt: deletedBy ? AT : null,
  deleted: deleted as Extract<DiffChange, { kind: 'delete' }>['deleted'],
});
const retain: DiffChange = { kind: 'retain' };

/** The text of each mark, read from the display document. */
function marked(display: Op[], marks: ReturnType<typeof diffDisplay>['marks']) {
  const doc = new Delta(display);
  return marks.map((m) => {
    const text = doc
      .slice(m.from, m.to)
      .ops.map((op) => (typeof op.insert === 'string' ? op.insert : '[embed]'))
      .join('');
    return `${m.kind}:${m.author === ANA ? 'ana' : m.author === BRUNO ? 'bruno' : '-'}:${JSON.stringify(text)}`;
  });
}

describe('diffDisplay', () => {
  it('shows version `to` with the deleted runs put back, each run marked with its author', () => {
    // from: "Hello old world\n"; to: "Hello new world!\n"
    const to: Op[] = [{ insert: 'Hello new world!\n' }];
    const { display, marks } = diffDisplay(to, {
      ops: [{ retain: 6 }, { delete: 3 }, { insert: 'new' }, { retain: 6 }, { insert: '!' }],
      changes: [retain, del(ANA, [{ insert: 'old' }]), insert(BRUNO), retain, insert(BRUNO)],
    });
    expect(new Delta(display)).toEqual(new Delta([{ insert: 'Hello oldnew world!\n' }]));
    expect(marked(display, marks)).toEqual(['delete:ana:"old"', 'insert:bruno:"new"', 'insert:bruno:"!"']);
  });

  it('cuts marks at line ends, keeps formats, and marks format changes', () => {
    // from: "ab\n"; to: "ab\nnew line\n" with "ab" bold and a header.
    const to: Op[] = [
      { insert: 'ab', attributes: { bold: true } },
      { insert: '\n', attributes: { header: 1 } },
      { insert: 'new ' },
      { insert: 'line', attributes: { italic: true } },
      { insert: '\n' },
    ];
    const { display, marks } = diffDisplay(to, {
      ops: [
        { retain: 2, attributes: { bold: true } },
        { retain: 1, attributes: { header: 1 } },
        { insert: 'new line\n' },
      ],
      changes: [{ kind: 'format' }, { kind: 'format' }, insert(ANA)],
    });
    expect(new Delta(display)).toEqual(new Delta(to));
    expect(marked(display, marks)).toEqual([
      'format:-:"ab"',
      'format:-:"\\n"',
      'insert:ana:"new line"',
      'insert:ana:"\\n"',
    ]);
    expect(marks.map((m) => m.newline)).toEqual([false, true, false, true]);
  });

  it('shows a deleted line, with its line format, and the unchanged tail the diff leaves out', () => {
    const to: Op[] = [{ insert: 'one\nthree\n' }];
    const { display, marks } = diffDisplay(to, {
      ops: [{ retain: 4 }, { delete: 4 }],
      changes: [retain, del(BRUNO, [{ insert: 'two' }, { insert: '\n', attributes: { list: 'bullet' } }])],
    });
    expect(new Delta(display)).toEqual(
      new Delta([
        { insert: 'one\ntwo' },
        { insert: '\n', attributes: { list: 'bullet' } },
        { insert: 'three\n' },
      ]),
    );
    expect(marked(display, marks)).toEqual(['delete:bruno:"two"', 'delete:bruno:"\\n"']);
  });

  it('marks an inserted embed', () => {
    const to: Op[] = [{ insert: { image: 'https://example.com/a.png' } }, { insert: '\n' }];
    const { marks } = diffDisplay(to, {
      ops: [{ insert: { image: 'https://example.com/a.png' } }],
      changes: [insert(ANA)],
    });
    expect(marks).toEqual([{ from: 0, to: 1, kind: 'insert', author: ANA, at: AT, newline: false }]);
  });

  it('refuses a diff whose changes do not describe its components', () => {
    expect(() => diffDisplay([{ insert: '\n' }], { ops: [{ delete: 1 }], changes: [retain] })).toThrow();
  });
});

describe('changeStops', () => {
  it('names who deleted text, when known, rather than who wrote it', () => {
    const { marks } = diffDisplay([{ insert: 'b\n' }], {
      ops: [{ delete: 1 }],
      changes: [del(ANA, [{ insert: 'a' }], BRUNO)],
    });
    expect(marks[0]).toMatchObject({ kind: 'delete', author: ANA, deletedBy: BRUNO, deletedAt: AT });
    expect(changeStops(marks)).toEqual([{ from: 0, to: 1, kinds: ['delete'], authors: [BRUNO] }]);
  });

  it('joins touching marks (a replacement) into one stop, in document order', () => {
    const to: Op[] = [{ insert: 'Hello new world!\n' }];
    const { marks } = diffDisplay(to, {
      ops: [{ retain: 6 }, { delete: 3 }, { insert: 'new' }, { retain: 6 }, { insert: '!' }],
      changes: [retain, del(ANA, [{ insert: 'old' }]), insert(BRUNO), retain, insert(BRUNO)],
    });
    expect(changeStops(marks)).toEqual([
      { from: 6, to: 12, kinds: ['delete', 'insert'], authors: [ANA, BRUNO] },
      { from: 18, to: 19, kinds: ['insert'], authors: [BRUNO] },
    ]);
  });
});

describe('nextStop', () => {
  it('steps forward and back, wrapping around', () => {
    expect(nextStop(0, -1)).toBe(-1);
    expect(nextStop(3, -1)).toBe(0);
    expect(nextStop(3, -1, true)).toBe(2);
    expect(nextStop(3, 2)).toBe(0);
    expect(nextStop(3, 0, true)).toBe(2);
    expect(nextStop(3, 1)).toBe(2);
  });
});
