import {
  attributesEqual,
  checkAttributes,
  checkEmbed,
  hasLoneSurrogate,
  isBlockAttribute,
  isInlineAttribute,
  isPlainObject,
  isSafeUrl,
} from './attributes';

describe('hasLoneSurrogate', () => {
  it.each([
    ['', false],
    ['abc', false],
    ['😀', false],
    ['a😀b👩‍💻🇫🇷', false],
    ['\ud83d', true],
    ['\ude00', true],
    ['a\ud83d', true],
    ['\ude00\ud83d', true],
    ['\ud83d\ud83d\ude00', true],
    ['😀\ude00', true],
  ])('%j -> %s', (text, expected) => {
    expect(hasLoneSurrogate(text)).toBe(expected);
  });
});

describe('isPlainObject', () => {
  it('accepts literals and null-prototype objects only', () => {
    expect(isPlainObject({})).toBe(true);
    expect(isPlainObject(Object.create(null))).toBe(true);
    expect(isPlainObject(JSON.parse('{"__proto__": {"a": 1}}'))).toBe(true);
    expect(isPlainObject([])).toBe(false);
    expect(isPlainObject(null)).toBe(false);
    expect(isPlainObject('x')).toBe(false);
    expect(isPlainObject(new Date())).toBe(false);
    expect(isPlainObject(Object.create({ bold: true }))).toBe(false);
    expect(isPlainObject(new (class Attributes {})())).toBe(false);
  });
});

describe('isSafeUrl', () => {
  it.each([
    ['https://example.com', true, true],
    ['http://example.com:8080/a?b=c#d', true, true],
    ['HtTpS://EXAMPLE.com', true, true],
    ['mailto:a@example.com', true, false],
    ['https://例え.jp/パス', true, true],
    ['javascript:alert(1)', false, false],
    ['vbscript:msgbox', false, false],
    ['data:image/png;base64,AAAA', false, false],
    ['file:///etc/passwd', false, false],
    ['\u0000https://example.com', false, false],
    ['https://example.com/\u2028', false, false],
    ['https:///path-only', false, false],
    ['https:', false, false],
  ])('%j (link %s, image %s)', (url, link, image) => {
    expect(isSafeUrl(url, true)).toBe(link);
    expect(isSafeUrl(url, false)).toBe(image);
  });

  it('refuses non-strings and over-long URLs', () => {
    expect(isSafeUrl(undefined, true)).toBe(false);
    expect(isSafeUrl({ toString: () => 'https://x.y' }, true)).toBe(false);
    expect(isSafeUrl(`https://x.y/${'a'.repeat(2036)}`, true)).toBe(true);
    expect(isSafeUrl(`https://x.y/${'a'.repeat(2037)}`, true)).toBe(false);
  });
});

describe('attribute names', () => {
  it('splits inline and block attributes', () => {
    for (const name of ['bold', 'italic', 'underline', 'strike', 'code', 'link']) {
      expect([isInlineAttribute(name), isBlockAttribute(name)]).toEqual([true, false]);
    }
    for (const name of ['header', 'list', 'indent', 'blockquote', 'code-block', 'align']) {
      expect([isInlineAttribute(name), isBlockAttribute(name)]).toEqual([false, true]);
    }
    for (const name of ['__proto__', 'constructor', 'color', 'Bold', '']) {
      expect([isInlineAttribute(name), isBlockAttribute(name)]).toEqual([false, false]);
    }
  });
});

describe('checkAttributes', () => {
  it('returns a fresh copy and says whether a block attribute is set', () => {
    const input = { bold: true, header: 2 };
    const result = checkAttributes(input, false);
    expect(result).toEqual({ ok: true, attributes: { bold: true, header: 2 }, setsBlock: true });
    expect(result.ok && result.attributes).not.toBe(input);
  });

  it('accepts null only when asked, and a null block attribute sets nothing', () => {
    expect(checkAttributes({ header: null, bold: null }, true)).toEqual({
      ok: true,
      attributes: { header: null, bold: null },
      setsBlock: false,
    });
    expect(checkAttributes({ bold: null }, false)).toMatchObject({ ok: false });
  });

  it('maps an empty object to undefined', () => {
    expect(checkAttributes({}, true)).toEqual({ ok: true, attributes: undefined, setsBlock: false });
  });

  it('refuses own keys that only look like object internals', () => {
    for (const json of ['{"__proto__": true}', '{"constructor": true}', '{"hasOwnProperty": null}']) {
      expect(checkAttributes(JSON.parse(json), true)).toMatchObject({ ok: false });
    }
  });
});

describe('checkEmbed', () => {
  it('accepts the two embed kinds and copies them', () => {
    const image = { image: 'https://example.com/a.png' };
    const result = checkEmbed(image);
    expect(result).toEqual({ ok: true, embed: image });
    expect(result.ok && result.embed).not.toBe(image);
    expect(checkEmbed({ divider: true })).toEqual({ ok: true, embed: { divider: true } });
  });

  it.each([
    [{}],
    [{ divider: false }],
    [{ image: 'https://a.b/c.png', alt: 'x' }],
    [{ image: 'mailto:a@b.c' }],
    [{ formula: 'e=mc^2' }],
    [['image']],
    [JSON.parse('{"__proto__": {"divider": true}}')],
  ])('refuses %j', (value) => {
    expect(checkEmbed(value).ok).toBe(false);
  });
});

describe('attributesEqual', () => {
  it('compares keys and values, not key order or identity', () => {
    expect(attributesEqual(undefined, undefined)).toBe(true);
    expect(attributesEqual({ bold: true, header: 1 }, { header: 1, bold: true })).toBe(true);
    expect(attributesEqual({ bold: null }, { bold: null })).toBe(true);
    expect(attributesEqual({ bold: true }, undefined)).toBe(false);
    expect(attributesEqual({ bold: true }, { bold: true, italic: true })).toBe(false);
    expect(attributesEqual({ bold: true, italic: true }, { bold: true })).toBe(false);
    expect(attributesEqual({ bold: null }, {})).toBe(false);
    expect(attributesEqual({ header: 1 }, { header: 2 })).toBe(false);
  });
});
