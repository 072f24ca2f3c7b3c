import { describeValidateOpTable, ok, type ValidateOpCase } from '../test/validate-op-table';
import { OtErrorCode } from './errors';

/*
 * validateOp's table of cases for attributes: the INVALID_ATTRIBUTES shapes,
 * then every allowed attribute with good and bad values, against the document
 * of test/validate-op-table.ts (block attributes at its "\n" at 5, inline ones
 * at its "a" at 0).
 */

const C = OtErrorCode;

const CASES: ValidateOpCase[] = [
  // ---- INVALID_ATTRIBUTES ----------------------------------------------------
  ['attributes null', [{ insert: 'a', attributes: null }], C.INVALID_ATTRIBUTES],
  ['attributes an array', [{ insert: 'a', attributes: ['bold'] }], C.INVALID_ATTRIBUTES],
  ['attributes a string', [{ insert: 'a', attributes: 'bold' }], C.INVALID_ATTRIBUTES],
  [
    'attributes with a prototype carrying bold',
    [{ insert: 'a', attributes: Object.create({ bold: true }) as object }],
    C.INVALID_ATTRIBUTES,
  ],
  ['an unknown attribute', [{ insert: 'a', attributes: { color: 'red' } }], C.INVALID_ATTRIBUTES],
  ['an unknown attribute set to null', [{ retain: 1, attributes: { color: null } }], C.INVALID_ATTRIBUTES],
  [
    '__proto__ attribute (JSON.parse)',
    JSON.parse('[{"insert":"a","attributes":{"__proto__":{"bold":true}}}]'),
    C.INVALID_ATTRIBUTES,
  ],
  ['constructor attribute', [{ insert: 'a', attributes: { constructor: true } }], C.INVALID_ATTRIBUTES],
  ['prototype attribute', [{ insert: 'a', attributes: { prototype: true } }], C.INVALID_ATTRIBUTES],
  ['toString attribute', [{ insert: 'a', attributes: { toString: true } }], C.INVALID_ATTRIBUTES],
  ['null in an insert', [{ insert: 'a', attributes: { bold: null } }], C.INVALID_ATTRIBUTES],
  ['header on inserted text', [{ insert: 'a\n', attributes: { header: 1 } }], C.INVALID_ATTRIBUTES],
  ['list on an embed', [{ insert: { divider: true }, attributes: { list: 'bullet' } }], C.INVALID_ATTRIBUTES],
  ['header retained over text', [{ retain: 2, attributes: { header: 1 } }], C.INVALID_ATTRIBUTES],
  [
    'align retained over a newline and an embed',
    [{ retain: 5 }, { retain: 2, attributes: { align: 'right' } }],
    C.INVALID_ATTRIBUTES,
  ],
  [
    'blockquote retained over an embed',
    [{ retain: 6 }, { retain: 1, attributes: { blockquote: true } }],
    C.INVALID_ATTRIBUTES,
  ],
];

// Each attribute: one good value and several bad ones.
const ATTRIBUTE_VALUES: [name: string, good: unknown[], bad: unknown[]][] = [
  ['bold', [true], [false, 'true', 1, {}]],
  ['italic', [true], [false, 'yes']],
  ['underline', [true], [0]],
  ['strike', [true], ['']],
  ['code', [true], [[]]],
  [
    'link',
    [
      'https://example.com/a?b#c',
      'http://x.y',
      'HTTPS://EXAMPLE.COM',
      'mailto:a@b.c',
      'https://例え.jp/パス',
    ],
    [
      'javascript:alert(1)',
      'JavaScript:alert(1)',
      ' https://example.com',
      'java\tscript:alert(1)',
      'https://exa mple.com',
      'https://example.com/\n',
      'ftp://example.com',
      'data:text/html,hi',
      'http://',
      'mailto:',
      '//example.com',
      'example.com',
      'https://x.y/\ud800',
      `https://x.y/${'a'.repeat(2048)}`,
      42,
    ],
  ],
  ['header', [1, 6], [0, 7, 1.5, '1', true]],
  ['list', ['bullet', 'ordered', 'checked', 'unchecked'], ['dashed', true, 1]],
  ['indent', [0, 8], [-1, 9, 0.5, '2']],
  ['blockquote', [true], ['yes']],
  ['code-block', [true], ['js', false]],
  ['align', ['left', 'center', 'right', 'justify'], ['middle', '', true]],
];
for (const [name, good, bad] of ATTRIBUTE_VALUES) {
  const block = ['header', 'list', 'indent', 'blockquote', 'code-block', 'align'].includes(name);
  const at = block ? 5 : 0; // a newline for block attributes, "a" otherwise
  for (const value of good) {
    CASES.push([
      `${name}: ${JSON.stringify(value)}`,
      [{ retain: at }, { retain: 1, attributes: { [name]: value } }].filter((c) => c.retain !== 0),
      ok(...(at > 0 ? [{ retain: at }] : []), { retain: 1, attributes: { [name]: value } }),
    ]);
  }
  for (const value of bad) {
    CASES.push([
      `${name}: ${JSON.stringify(value)?.slice(0, 30)}`,
      [{ insert: block ? '\n' : 'a', attributes: { [name]: value } }],
      C.INVALID_ATTRIBUTES,
    ]);
  }
}

describeValidateOpTable(CASES);
