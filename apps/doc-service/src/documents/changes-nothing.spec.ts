import { ChunkedDocument } from '@collab/ot';
import Delta from 'quill-delta';
import { changesNothing } from './changes-nothing';

// "Hi" bold, " there" plain, a header line, then an image and a plain last line.
const doc = () =>
  ChunkedDocument.fromDelta([
    { insert: 'Hi', attributes: { bold: true } },
    { insert: ' there' },
    { insert: '\n', attributes: { header: 1 } },
    { insert: { image: 'https://example.test/a.png' }, attributes: { link: 'https://example.test' } },
    { insert: '\n' },
  ]);

describe('changesNothing', () => {
  const cases: [string, Delta['ops'], boolean][] = [
    ['the empty operation', [], true],
    ['plain retains', [{ retain: 3 }, { retain: 2 }], true],
    ['bold on bold text', [{ retain: 2, attributes: { bold: true } }], true],
    ['removing italic from text without it', [{ retain: 8, attributes: { italic: null } }], true],
    ['the header a line has', [{ retain: 8 }, { retain: 1, attributes: { header: 1 } }], true],
    [
      'the link an embed has',
      [{ retain: 9 }, { retain: 1, attributes: { link: 'https://example.test' } }],
      true,
    ],
    ['bold over bold and plain text', [{ retain: 3, attributes: { bold: true } }], false],
    ['removing bold from bold text', [{ retain: 1 }, { retain: 1, attributes: { bold: null } }], false],
    ['another header level', [{ retain: 8 }, { retain: 1, attributes: { header: 2 } }], false],
    [
      'another link on the embed',
      [{ retain: 9 }, { retain: 1, attributes: { link: 'https://b.test' } }],
      false,
    ],
    ['an insert', [{ insert: 'x' }], false],
    ['a delete', [{ retain: 1 }, { delete: 1 }], false],
    [
      'a replacement by the same text (it moves positions)',
      [{ insert: 'H', attributes: { bold: true } }, { delete: 1 }],
      false,
    ],
  ];
  it.each(cases)('%s: %p -> %p', (_name, ops, expected) => {
    expect(changesNothing(new Delta(ops), doc())).toBe(expected);
  });

  it('agrees with applying the operation, for the formatting cases', () => {
    for (const [, ops] of cases) {
      const delta = new Delta(ops);
      if (delta.ops.some((o) => o.insert !== undefined || o.delete !== undefined)) continue;
      const before = doc().toDelta();
      const after = doc().apply(delta).toDelta();
      expect(changesNothing(delta, doc())).toBe(JSON.stringify(after.ops) === JSON.stringify(before.ops));
    }
  });
});
