import { quoteOf } from './anchors-at-version';

describe('quoteOf', () => {
  const doc = [
    { insert: 'Hello ' },
    { insert: 'world', attributes: { bold: true } },
    { insert: { image: 'x' } },
    { insert: '😀!\n' },
  ];

  it('takes the text of a range across runs, an embed as U+FFFC', () => {
    expect(quoteOf(doc, 0, 5, 100)).toBe('Hello');
    expect(quoteOf(doc, 4, 9, 100)).toBe('o wor');
    expect(quoteOf(doc, 6, 14, 100)).toBe('world\uFFFC😀');
  });

  it('cuts a long range with an ellipsis, never inside a surrogate pair', () => {
    expect(quoteOf(doc, 0, 11, 5)).toBe('Hello…');
    expect(quoteOf(doc, 12, 15, 1)).toBe('…');
    expect(quoteOf(doc, 12, 15, 2)).toBe('😀…');
  });
});
