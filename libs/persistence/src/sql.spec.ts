import { quoteIdentifier } from './sql';

describe('quoteIdentifier', () => {
  it('quotes and doubles embedded quotes', () => {
    expect(quoteIdentifier('collab')).toBe('"collab"');
    expect(quoteIdentifier('My "db"; DROP')).toBe('"My ""db""; DROP"');
  });

  it('refuses names PostgreSQL cannot hold', () => {
    expect(() => quoteIdentifier('')).toThrow(TypeError);
    expect(() => quoteIdentifier('a\0b')).toThrow(TypeError);
  });
});
