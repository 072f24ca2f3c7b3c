import { normalizeEmail } from './email';
import { bigintNumberTransformer, bigintToNumber } from './version';

describe('bigintToNumber', () => {
  it('reads bigint strings as numbers', () => {
    expect(bigintToNumber('0')).toBe(0);
    expect(bigintToNumber('9007199254740991')).toBe(Number.MAX_SAFE_INTEGER);
    expect(bigintNumberTransformer.from('42')).toBe(42);
    expect(bigintNumberTransformer.from(null)).toBeNull();
  });

  it('throws rather than round a version', () => {
    expect(() => bigintToNumber('9007199254740993')).toThrow(RangeError);
    expect(() => bigintToNumber('1.5')).toThrow(RangeError);
  });
});

describe('normalizeEmail', () => {
  it('trims and lower-cases', () => {
    expect(normalizeEmail('  Ada@Example.COM\t')).toBe('ada@example.com');
  });
});
