/**
 * Small explicit transform cases, one or more per pair of operation kinds
 * (insert, delete, plain retain, retain with attributes), in the manner of
 * slab/delta's test/delta/transform.ts. Every case states both transforms
 * (`a.transform(b, p)` for p = true and false) and the document both sites
 * reach, and is also checked for convergence:
 * `d∘a∘a.transform(b, true) = d∘b∘b.transform(a, false)`.
 *
 * A counterexample found by the property tests becomes a fixed case: here
 * when it breaks a law the system relies on, in quill-delta.pinned.spec.ts
 * when it shows quill-delta's behaviour outside those laws.
 */
import Delta from 'quill-delta';

type Case = {
  name: string;
  doc: Delta;
  a: Delta;
  b: Delta;
  /** a.transform(b, true): b after a, a inserted first at a tie. */
  bAfterA: Delta;
  /** a.transform(b, false): b after a, b inserted first at a tie. */
  bAfterANoPriority: Delta;
  /** d∘a∘a.transform(b, true), which must equal d∘b∘b.transform(a, false). */
  result: Delta;
};

const text = (s: string, attributes?: Record<string, unknown>) => new Delta().insert(s, attributes);
const bold = { bold: true };
const italic = { italic: true };

/** The document of most cases: "abc" + final newline. */
const abc = text('abc\n');

const cases: Case[] = [
  // insert x insert
  {
    name: 'insert + insert at the same index: priority decides the order',
    doc: abc,
    a: new Delta().retain(1).insert('A'),
    b: new Delta().retain(1).insert('B'),
    bAfterA: new Delta().retain(2).insert('B'),
    bAfterANoPriority: new Delta().retain(1).insert('B'),
    result: text('aABbc\n'),
  },
  {
    name: 'insert + insert at different indexes: priority irrelevant',
    doc: abc,
    a: new Delta().insert('A'),
    b: new Delta().retain(2).insert('B'),
    bAfterA: new Delta().retain(3).insert('B'),
    bAfterANoPriority: new Delta().retain(3).insert('B'),
    result: text('AabBc\n'),
  },
  {
    name: 'insert + insert with attributes and an embed at the same index',
    doc: abc,
    a: new Delta().retain(3).insert('X', bold),
    b: new Delta().retain(3).insert({ divider: true }),
    bAfterA: new Delta().retain(4).insert({ divider: true }),
    bAfterANoPriority: new Delta().retain(3).insert({ divider: true }),
    result: new Delta().insert('abc').insert('X', bold).insert({ divider: true }).insert('\n'),
  },
  // insert x delete
  {
    name: 'insert + delete around it: the insert survives',
    doc: abc,
    a: new Delta().retain(1).insert('A'),
    b: new Delta().delete(3),
    bAfterA: new Delta().delete(1).retain(1).delete(2),
    bAfterANoPriority: new Delta().delete(1).retain(1).delete(2),
    result: text('A\n'),
  },
  {
    name: 'delete + insert at the start of the deleted range',
    doc: abc,
    a: new Delta().retain(1).delete(2),
    b: new Delta().retain(1).insert('B'),
    bAfterA: new Delta().retain(1).insert('B'),
    bAfterANoPriority: new Delta().retain(1).insert('B'),
    result: text('aB\n'),
  },
  // insert x plain retain
  {
    name: 'insert + plain retain: the retain is a no-op (chopped)',
    doc: abc,
    a: new Delta().retain(1).insert('A'),
    b: new Delta().retain(3),
    bAfterA: new Delta(),
    bAfterANoPriority: new Delta(),
    result: text('aAbc\n'),
  },
  {
    name: 'plain retain + insert: the insert is unchanged',
    doc: abc,
    a: new Delta().retain(3),
    b: new Delta().retain(2).insert('B'),
    bAfterA: new Delta().retain(2).insert('B'),
    bAfterANoPriority: new Delta().retain(2).insert('B'),
    result: text('abBc\n'),
  },
  // insert x format
  {
    name: 'insert + format across it: the inserted text is not formatted',
    doc: abc,
    a: new Delta().retain(1).insert('A'),
    b: new Delta().retain(3, bold),
    bAfterA: new Delta().retain(1, bold).retain(1).retain(2, bold),
    bAfterANoPriority: new Delta().retain(1, bold).retain(1).retain(2, bold),
    result: new Delta().insert('a', bold).insert('A').insert('bc', bold).insert('\n'),
  },
  {
    name: 'format + insert inside it',
    doc: abc,
    a: new Delta().retain(3, italic),
    b: new Delta().retain(2).insert('B', bold),
    bAfterA: new Delta().retain(2).insert('B', bold),
    bAfterANoPriority: new Delta().retain(2).insert('B', bold),
    result: new Delta().insert('ab', italic).insert('B', bold).insert('c', italic).insert('\n'),
  },
  // delete x delete
  {
    name: 'delete + overlapping delete: the overlap is deleted once',
    doc: abc,
    a: new Delta().retain(1).delete(2),
    b: new Delta().delete(2),
    bAfterA: new Delta().delete(1),
    bAfterANoPriority: new Delta().delete(1),
    result: text('\n'),
  },
  {
    name: 'delete + identical delete: nothing left to do',
    doc: abc,
    a: new Delta().retain(1).delete(1),
    b: new Delta().retain(1).delete(1),
    bAfterA: new Delta(),
    bAfterANoPriority: new Delta(),
    result: text('ac\n'),
  },
  // delete x plain retain
  {
    name: 'delete + plain retain',
    doc: abc,
    a: new Delta().delete(1),
    b: new Delta().retain(2),
    bAfterA: new Delta(),
    bAfterANoPriority: new Delta(),
    result: text('bc\n'),
  },
  {
    name: 'plain retain + delete',
    doc: abc,
    a: new Delta().retain(2),
    b: new Delta().retain(1).delete(1),
    bAfterA: new Delta().retain(1).delete(1),
    bAfterANoPriority: new Delta().retain(1).delete(1),
    result: text('ac\n'),
  },
  // delete x format
  {
    name: 'delete + format over it: the deleted part is not formatted',
    doc: abc,
    a: new Delta().retain(1).delete(1),
    b: new Delta().retain(3, bold),
    bAfterA: new Delta().retain(2, bold),
    bAfterANoPriority: new Delta().retain(2, bold),
    result: new Delta().insert('ac', bold).insert('\n'),
  },
  {
    name: 'format + delete of formatted text',
    doc: abc,
    a: new Delta().retain(2, bold),
    b: new Delta().delete(2),
    bAfterA: new Delta().delete(2),
    bAfterANoPriority: new Delta().delete(2),
    result: text('c\n'),
  },
  // plain retain x plain retain, plain retain x format
  {
    name: 'plain retain + plain retain',
    doc: abc,
    a: new Delta().retain(2),
    b: new Delta().retain(4),
    bAfterA: new Delta(),
    bAfterANoPriority: new Delta(),
    result: abc,
  },
  {
    name: 'plain retain + block format on the final newline',
    doc: abc,
    a: new Delta().retain(4),
    b: new Delta().retain(3).retain(1, { header: 1 }),
    bAfterA: new Delta().retain(3).retain(1, { header: 1 }),
    bAfterANoPriority: new Delta().retain(3).retain(1, { header: 1 }),
    result: new Delta().insert('abc').insert('\n', { header: 1 }),
  },
  // format x format
  {
    name: 'format + format of different attributes: both apply',
    doc: abc,
    a: new Delta().retain(2, bold),
    b: new Delta().retain(1).retain(2, italic),
    bAfterA: new Delta().retain(1).retain(2, italic),
    bAfterANoPriority: new Delta().retain(1).retain(2, italic),
    result: new Delta()
      .insert('a', bold)
      .insert('b', { bold: true, italic: true })
      .insert('c', italic)
      .insert('\n'),
  },
  {
    name: 'format + conflicting format of one attribute: the side with priority wins',
    doc: abc,
    a: new Delta().retain(3, { link: 'https://a.example/' }),
    b: new Delta().retain(3, { link: 'https://b.example/' }),
    bAfterA: new Delta(),
    bAfterANoPriority: new Delta().retain(3, { link: 'https://b.example/' }),
    result: new Delta().insert('abc', { link: 'https://a.example/' }).insert('\n'),
  },
  {
    name: 'format + removal (null) of the same attribute: priority wins, null included',
    doc: new Delta().insert('abc', bold).insert('\n'),
    a: new Delta().retain(3, { bold: null }),
    b: new Delta().retain(3, { bold: true, italic: true }),
    bAfterA: new Delta().retain(3, italic),
    bAfterANoPriority: new Delta().retain(3, { bold: true, italic: true }),
    result: new Delta().insert('abc', italic).insert('\n'),
  },
  {
    name: 'block format + block format on the same newline',
    doc: text('a\nb\n'),
    a: new Delta().retain(1).retain(1, { header: 2 }).retain(1).retain(1, { list: 'bullet' }),
    b: new Delta().retain(1).retain(1, { header: 3, align: 'center' }),
    bAfterA: new Delta().retain(1).retain(1, { align: 'center' }),
    bAfterANoPriority: new Delta().retain(1).retain(1, { header: 3, align: 'center' }),
    result: new Delta()
      .insert('a')
      .insert('\n', { header: 2, align: 'center' })
      .insert('b')
      .insert('\n', { list: 'bullet' }),
  },
  // surrogate pairs and embeds
  {
    name: 'astral characters: indexes count UTF-16 units, pairs move as a whole',
    doc: text('😀👩‍💻\n'),
    a: new Delta().retain(2).insert('🇫🇷'),
    b: new Delta().delete(2).retain(5, bold),
    bAfterA: new Delta().delete(2).retain(4).retain(5, bold),
    bAfterANoPriority: new Delta().delete(2).retain(4).retain(5, bold),
    result: new Delta().insert('🇫🇷').insert('👩‍💻', bold).insert('\n'),
  },
  {
    name: 'embed: format + delete of the same embed',
    doc: new Delta().insert({ image: 'https://example.com/x.png' }).insert('\n'),
    a: new Delta().retain(1, { link: 'https://example.com/' }),
    b: new Delta().delete(1),
    bAfterA: new Delta().delete(1),
    bAfterANoPriority: new Delta().delete(1),
    result: text('\n'),
  },
];

describe('transform table', () => {
  it.each(cases)('$name', ({ doc, a, b, bAfterA, bAfterANoPriority, result }) => {
    expect(a.transform(b, true)).toEqual(bAfterA);
    expect(a.transform(b, false)).toEqual(bAfterANoPriority);
    expect(doc.compose(a).compose(a.transform(b, true))).toEqual(result);
    expect(doc.compose(b).compose(b.transform(a, false))).toEqual(result);
  });

  it('transform does not change its inputs', () => {
    const a = new Delta().retain(1).insert('A').delete(1);
    const b = new Delta().retain(1, bold).insert('B');
    const [a0, b0] = [JSON.stringify(a), JSON.stringify(b)];
    a.transform(b, true);
    b.transform(a, false);
    expect([JSON.stringify(a), JSON.stringify(b)]).toEqual([a0, b0]);
  });
});
