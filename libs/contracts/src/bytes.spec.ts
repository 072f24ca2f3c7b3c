import fc from 'fast-check';
import { fitsInBytes, jsonByteLength, utf8ByteLength } from './bytes';

describe('utf8ByteLength', () => {
  it('matches TextEncoder on any string, lone surrogates included', () => {
    const encoder = new TextEncoder();
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (text) => {
        expect(utf8ByteLength(text)).toBe(encoder.encode(text).length);
      }),
      { numRuns: 500 },
    );
    for (const text of ['', 'a', 'é', '€', '😀', '\ud800', '\udc00', 'a\ud800b', '\ud83d\ude00\ud83d']) {
      expect(utf8ByteLength(text)).toBe(encoder.encode(text).length);
    }
  });
});

describe('jsonByteLength', () => {
  it('measures the JSON encoding', () => {
    expect(jsonByteLength({ a: 'é' })).toBe(10);
    expect(jsonByteLength(undefined)).toBe(0);
    expect(fitsInBytes({ a: 1 }, 7)).toBe(true);
    expect(fitsInBytes({ a: 1 }, 6)).toBe(false);
  });

  it('measures unserializable values as infinite', () => {
    const cyclic: Record<string, unknown> = {};
    cyclic['self'] = cyclic;
    expect(jsonByteLength(cyclic)).toBe(Number.POSITIVE_INFINITY);
    expect(jsonByteLength(1n)).toBe(Number.POSITIVE_INFINITY);
    expect(fitsInBytes(cyclic, Number.MAX_SAFE_INTEGER)).toBe(false);
  });
});
