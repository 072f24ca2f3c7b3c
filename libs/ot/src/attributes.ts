/**
 * The attribute and embed allow-list shared by every editor in the system.
 *
 * Everything here reads untrusted values (parsed JSON from a client) and must
 * never throw on them: checks only look at own enumerable keys, and reject any
 * object whose prototype is not `Object.prototype` or `null`, so keys such as
 * `__proto__` or `constructor` (which JSON.parse creates as own keys) fail as
 * "not allowed" instead of reaching the document.
 */

/** A stored attribute value. Every allowed value is a primitive. */
export type AttributeValue = true | string | number;

/** Attributes of a document character: no nulls. */
export type Attributes = Readonly<Record<string, AttributeValue>>;

/** Attributes of a retain: `null` removes the attribute. */
export type AttributeChanges = Readonly<Record<string, AttributeValue | null>>;

/** Inline attributes: allowed on any character, including embeds. */
export const INLINE_ATTRIBUTES = ['bold', 'italic', 'underline', 'strike', 'code', 'link'] as const;
export type InlineAttribute = (typeof INLINE_ATTRIBUTES)[number];

/** Block attributes: allowed on "\n" characters only (the newline carries its line's format). */
export const BLOCK_ATTRIBUTES = ['header', 'list', 'indent', 'blockquote', 'code-block', 'align'] as const;
export type BlockAttribute = (typeof BLOCK_ATTRIBUTES)[number];

/** Values of the `list` block attribute. */
export const LIST_VALUES = ['bullet', 'ordered', 'checked', 'unchecked'] as const;
/** Values of the `align` block attribute. */
export const ALIGN_VALUES = ['left', 'center', 'right', 'justify'] as const;

/** Embed kinds: an embed is an insert of `{ image: url }` or `{ divider: true }`. */
export const EMBED_TYPES = ['image', 'divider'] as const;
export type EmbedType = (typeof EMBED_TYPES)[number];
export type Embed = Readonly<{ image: string }> | Readonly<{ divider: true }>;

/** Longest link or image URL accepted, in code units (the common browser/CDN limit). */
export const MAX_URL_LENGTH = 2048;

/** True for `header`, `list`, `indent`, `blockquote`, `code-block` and `align`. */
export function isBlockAttribute(name: string): boolean {
  switch (name) {
    case 'header':
    case 'list':
    case 'indent':
    case 'blockquote':
    case 'code-block':
    case 'align':
      return true;
    default:
      return false;
  }
}

/** True for `bold`, `italic`, `underline`, `strike`, `code` and `link`. */
export function isInlineAttribute(name: string): boolean {
  switch (name) {
    case 'bold':
    case 'italic':
    case 'underline':
    case 'strike':
    case 'code':
    case 'link':
      return true;
    default:
      return false;
  }
}

/**
 * True for an object literal or a null-prototype dictionary. Arrays, class
 * instances, boxed primitives and objects with a forged prototype are not plain.
 */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null) return false;
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/** True when `text` holds a high surrogate not followed by a low one, or a low one not preceded by a high one. */
export function hasLoneSurrogate(text: string): boolean {
  const n = text.length;
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    if (c < 0xd800 || c > 0xdfff) continue;
    if (c >= 0xdc00) return true; // low surrogate without a high one before it
    const next = i + 1 < n ? text.charCodeAt(i + 1) : 0;
    if (next < 0xdc00 || next > 0xdfff) return true;
    i++; // skip the low half of a well-formed pair
  }
  return false;
}

// Scheme check without URL (libs/ot stays free of host APIs). The whole string
// must start with the scheme: browsers strip leading blanks and tabs inside a
// scheme ("java\tscript:"), so blanks and control characters are refused outright.
const HTTP_URL = /^https?:\/\/[^/?#]/i;
const MAILTO_URL = /^mailto:./i;
// C0 controls, space, DEL and C1 controls, plus the Unicode line/paragraph
// separators and BOM that some browsers also strip.
// eslint-disable-next-line no-control-regex
const FORBIDDEN_URL_CHARS = /[\u0000-\u0020\u007f-\u009f\u2028\u2029\ufeff]/;

/** True for an http(s) URL (or a mailto: URL when `allowMailto`) of sane length and characters. */
export function isSafeUrl(value: unknown, allowMailto: boolean): value is string {
  if (typeof value !== 'string' || value.length === 0 || value.length > MAX_URL_LENGTH) return false;
  if (FORBIDDEN_URL_CHARS.test(value) || hasLoneSurrogate(value)) return false;
  return HTTP_URL.test(value) || (allowMailto && MAILTO_URL.test(value));
}

function isIntegerIn(value: unknown, min: number, max: number): boolean {
  return typeof value === 'number' && Number.isInteger(value) && value >= min && value <= max;
}

/**
 * Checks one attribute. Returns `null` when the value is allowed, otherwise a
 * message saying what is wrong. `null` values are the caller's business (they
 * are allowed in retains only).
 */
export function checkAttributeValue(name: string, value: unknown): string | null {
  switch (name) {
    case 'bold':
    case 'italic':
    case 'underline':
    case 'strike':
    case 'code':
    case 'blockquote':
    case 'code-block':
      return value === true ? null : `attribute "${name}" must be true`;
    case 'link':
      return isSafeUrl(value, true)
        ? null
        : `attribute "link" must be an http, https or mailto URL of at most ${MAX_URL_LENGTH} characters`;
    case 'header':
      return isIntegerIn(value, 1, 6) ? null : 'attribute "header" must be an integer from 1 to 6';
    case 'indent':
      return isIntegerIn(value, 0, 8) ? null : 'attribute "indent" must be an integer from 0 to 8';
    case 'list':
      return value === 'bullet' || value === 'ordered' || value === 'checked' || value === 'unchecked'
        ? null
        : `attribute "list" must be one of ${LIST_VALUES.join(', ')}`;
    case 'align':
      return value === 'left' || value === 'center' || value === 'right' || value === 'justify'
        ? null
        : `attribute "align" must be one of ${ALIGN_VALUES.join(', ')}`;
    default:
      return `attribute "${truncate(name)}" is not allowed`;
  }
}

/** The outcome of {@link checkAttributes}. */
export type AttributesCheck =
  | {
      ok: true;
      /** A fresh copy holding only the checked keys, or undefined when there were none. */
      attributes: Record<string, AttributeValue | null> | undefined;
      /** True when a block attribute is set to a value (not null): the characters must be newlines. */
      setsBlock: boolean;
    }
  | { ok: false; message: string };

/**
 * Checks the `attributes` of an operation component and returns a fresh copy.
 * `allowNull` is true for retains (null removes an attribute) and false for
 * inserts and documents. An empty object is accepted and yields `undefined`,
 * as quill-delta drops empty attribute maps.
 */
export function checkAttributes(value: unknown, allowNull: boolean): AttributesCheck {
  if (!isPlainObject(value)) return { ok: false, message: 'attributes must be a plain object' };
  const keys = Object.keys(value);
  if (keys.length === 0) return { ok: true, attributes: undefined, setsBlock: false };
  const attributes: Record<string, AttributeValue | null> = {};
  let setsBlock = false;
  for (let i = 0; i < keys.length; i++) {
    const name = keys[i];
    // Read once: a getter could answer differently the second time.
    const v: unknown = value[name];
    if (v === null) {
      // Unknown names are refused even when they are being removed.
      if (!isInlineAttribute(name) && !isBlockAttribute(name)) {
        return { ok: false, message: `attribute "${truncate(name)}" is not allowed` };
      }
      if (!allowNull)
        return { ok: false, message: `attribute "${name}" is null, which only a retain may use` };
      attributes[name] = null;
      continue;
    }
    const problem = checkAttributeValue(name, v);
    if (problem !== null) return { ok: false, message: problem };
    attributes[name] = v as AttributeValue;
    if (!setsBlock && isBlockAttribute(name)) setsBlock = true;
  }
  return { ok: true, attributes, setsBlock };
}

/** The outcome of {@link checkEmbed}. */
export type EmbedCheck = { ok: true; embed: Embed } | { ok: false; message: string };

/** Checks an embed insert value (`{ image: url }` or `{ divider: true }`) and returns a fresh copy. */
export function checkEmbed(value: unknown): EmbedCheck {
  if (!isPlainObject(value)) return { ok: false, message: 'an embed must be a plain object' };
  const keys = Object.keys(value);
  if (keys.length !== 1) return { ok: false, message: 'an embed must have exactly one key' };
  const type = keys[0];
  const data: unknown = value[type];
  if (type === 'image') {
    return isSafeUrl(data, false)
      ? { ok: true, embed: { image: data } }
      : {
          ok: false,
          message: `an image embed needs an http or https URL of at most ${MAX_URL_LENGTH} characters`,
        };
  }
  if (type === 'divider') {
    return data === true
      ? { ok: true, embed: { divider: true } }
      : { ok: false, message: 'a divider embed must be { divider: true }' };
  }
  return { ok: false, message: `embed type "${truncate(type)}" is not allowed` };
}

/** Shallow equality of two attribute maps; values are primitives, so this is exact. */
export function attributesEqual(a: AttributeChanges | undefined, b: AttributeChanges | undefined): boolean {
  if (a === b) return true;
  if (a === undefined || b === undefined) return false;
  let count = 0;
  for (const key in a) {
    if (a[key] !== b[key] || !Object.prototype.hasOwnProperty.call(b, key)) return false;
    count++;
  }
  for (const _key in b) count--;
  return count === 0;
}

// Keeps error messages short when a client sends a huge key.
function truncate(text: string): string {
  return text.length > 40 ? `${text.slice(0, 40)}...` : text;
}
