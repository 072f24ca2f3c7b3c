/**
 * Size of `text` in UTF-8 bytes, without allocating an encoded copy.
 *
 * A lone surrogate counts as 3 bytes, as `TextEncoder` writes it as U+FFFD.
 * Works in browsers and Node alike (no `Buffer`).
 */
export function utf8ByteLength(text: string): number {
  let bytes = 0;
  for (let i = 0; i < text.length; i++) {
    const unit = text.charCodeAt(i);
    if (unit < 0x80) {
      bytes += 1;
    } else if (unit < 0x800) {
      bytes += 2;
    } else if (unit >= 0xd800 && unit <= 0xdbff && i + 1 < text.length) {
      const next = text.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) {
        bytes += 4;
        i++;
      } else {
        bytes += 3;
      }
    } else {
      bytes += 3;
    }
  }
  return bytes;
}

/**
 * Size of `value` serialized as JSON, in UTF-8 bytes. A value JSON cannot
 * encode (a cycle, a BigInt) measures `Infinity`, so it fails every limit.
 */
export function jsonByteLength(value: unknown): number {
  let json: string | undefined;
  try {
    json = JSON.stringify(value);
  } catch {
    return Number.POSITIVE_INFINITY;
  }
  return json === undefined ? 0 : utf8ByteLength(json);
}

/** Whether `value` serialized as JSON fits in `maxBytes` UTF-8 bytes. */
export function fitsInBytes(value: unknown, maxBytes: number): boolean {
  return jsonByteLength(value) <= maxBytes;
}
