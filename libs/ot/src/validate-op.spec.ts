import Delta from 'quill-delta';
import {
  DOC_OPS,
  describeValidateOpTable,
  ok,
  tableDocument,
  type ValidateOpCase,
} from '../test/validate-op-table';
import { OtErrorCode } from './errors';
import { parseOp, validateDocument, validateOp } from './validate-op';

/*
 * validateOp's table of cases against the document of test/validate-op-table.ts
 * (attributes have their own table, validate-op.attributes.spec.ts), its
 * messages, and parseOp and validateDocument. Hostile input and generated
 * operations: validate-op.hostile-input.spec.ts.
 */

const C = OtErrorCode;

const CASES: ValidateOpCase[] = [
  // ---- accepted, with the normalized result --------------------------------
  ['empty array', [], ok()],
  ['{ ops: [] }', { ops: [] }, ok()],
  ['a Delta instance', new Delta().retain(1).insert('x'), ok({ retain: 1 }, { insert: 'x' })],
  [
    'a Delta-like object of another class',
    new (class OtherDelta {
      ops = [{ insert: 'x' }];
    })(),
    ok({ insert: 'x' }),
  ],
  ['trailing plain retain is chopped', [{ retain: 9 }], ok()],
  ['insert at the start', [{ insert: 'x' }], ok({ insert: 'x' })],
  [
    'adjacent components merge (two deletes over one emoji do not split it)',
    [{ retain: 1 }, { retain: 1 }, { insert: 'x' }, { insert: 'y' }, { delete: 1 }, { delete: 1 }],
    ok({ retain: 2 }, { insert: 'xy' }, { delete: 2 }),
  ],
  [
    'insert moves before delete',
    [{ retain: 4 }, { delete: 1 }, { insert: 'z' }],
    ok({ retain: 4 }, { insert: 'z' }, { delete: 1 }),
  ],
  ['empty attributes are dropped', [{ insert: 'x', attributes: {} }], ok({ insert: 'x' })],
  [
    'retain removes bold with null',
    [{ retain: 2 }, { retain: 2, attributes: { bold: null } }],
    ok({ retain: 2 }, { retain: 2, attributes: { bold: null } }),
  ],
  [
    'header on a newline',
    [{ retain: 5 }, { retain: 1, attributes: { header: 2 } }],
    ok({ retain: 5 }, { retain: 1, attributes: { header: 2 } }),
  ],
  [
    'list on two newlines',
    [{ retain: 7 }, { retain: 2, attributes: { list: 'bullet' } }],
    ok({ retain: 7 }, { retain: 2, attributes: { list: 'bullet' } }),
  ],
  [
    'removing a block attribute over text is harmless',
    [{ retain: 2, attributes: { header: null } }],
    ok({ retain: 2, attributes: { header: null } }),
  ],
  [
    'inserting "\\n" with block attributes',
    [{ retain: 5 }, { insert: '\n\n', attributes: { header: 3, align: 'center' } }],
    ok({ retain: 5 }, { insert: '\n\n', attributes: { header: 3, align: 'center' } }),
  ],
  [
    'an image embed with a link',
    [{ insert: { image: 'https://img.example/a.png' }, attributes: { link: 'https://example.com' } }],
    ok({ insert: { image: 'https://img.example/a.png' }, attributes: { link: 'https://example.com' } }),
  ],
  [
    'a divider embed',
    [{ retain: 6 }, { insert: { divider: true } }],
    ok({ retain: 6 }, { insert: { divider: true } }),
  ],
  [
    'an astral character next to another',
    [{ retain: 4 }, { insert: '👩‍💻' }],
    ok({ retain: 4 }, { insert: '👩‍💻' }),
  ],
  ['deleting a whole surrogate pair', [{ retain: 2 }, { delete: 2 }], ok({ retain: 2 }, { delete: 2 })],
  [
    'replacing the final newline with a newline',
    [{ retain: 8 }, { delete: 1 }, { insert: '\n' }],
    ok({ retain: 8 }, { insert: '\n' }, { delete: 1 }),
  ],
  [
    'inserting a newline after the final newline',
    [{ retain: 9 }, { insert: '\n' }],
    ok({ retain: 9 }, { insert: '\n' }),
  ],
  ['deleting up to an earlier newline', [{ retain: 6 }, { delete: 3 }], ok({ retain: 6 }, { delete: 3 })],
  ['replacing everything', [{ delete: 9 }, { insert: 'new\n' }], ok({ insert: 'new\n' }, { delete: 9 })],
  [
    'null-prototype objects',
    [
      Object.assign(Object.create(null) as object, {
        insert: 'x',
        attributes: Object.assign(Object.create(null) as object, { italic: true }),
      }),
    ],
    ok({ insert: 'x', attributes: { italic: true } }),
  ],

  // ---- INVALID_OP: shape -----------------------------------------------------
  ['null', null, C.INVALID_OP],
  ['a number', 42, C.INVALID_OP],
  ['a string', '[{"insert":"a"}]', C.INVALID_OP],
  ['undefined', undefined, C.INVALID_OP],
  ['an object without ops', {}, C.INVALID_OP],
  ['ops not an array', { ops: 'x' }, C.INVALID_OP],
  ['ops plus another key', { ops: [], version: 1 }, C.INVALID_OP],
  ['__proto__ key beside ops (JSON.parse)', JSON.parse('{"__proto__": [], "ops": []}'), C.INVALID_OP],
  ['a null component', [null], C.INVALID_OP],
  ['a number component', [1], C.INVALID_OP],
  ['an array component', [[]], C.INVALID_OP],
  ['a class instance component', [new Date()], C.INVALID_OP],
  ['an empty component', [{}], C.INVALID_OP],
  ['two kinds', [{ insert: 'a', retain: 1 }], C.INVALID_OP],
  ['an unknown key', [{ insert: 'a', bold: true }], C.INVALID_OP],
  [
    '__proto__ key in a component (JSON.parse)',
    JSON.parse('[{"insert":"a","__proto__":{"retain":1}}]'),
    C.INVALID_OP,
  ],
  ['constructor key in a component', [{ insert: 'a', constructor: 1 }], C.INVALID_OP],
  ['empty insert', [{ insert: '' }], C.INVALID_OP],
  ['insert of a number', [{ insert: 5 }], C.INVALID_OP],
  ['insert of null', [{ insert: null }], C.INVALID_OP],
  ['insert of undefined', [{ insert: undefined }], C.INVALID_OP],
  ['retain 0', [{ retain: 0 }], C.INVALID_OP],
  ['retain -1', [{ retain: -1 }], C.INVALID_OP],
  ['retain 1.5', [{ retain: 1.5 }], C.INVALID_OP],
  ['retain NaN', [{ retain: NaN }], C.INVALID_OP],
  ['retain Infinity', [{ retain: Infinity }], C.INVALID_OP],
  ['retain "1"', [{ retain: '1' }], C.INVALID_OP],
  ['retain 2^53', [{ retain: 2 ** 53 }], C.INVALID_OP],
  ['retain of an embed (quill-delta 5)', [{ retain: { divider: true } }], C.INVALID_OP],
  ['delete 0', [{ delete: 0 }], C.INVALID_OP],
  ['delete with attributes', [{ delete: 1, attributes: { bold: true } }], C.INVALID_OP],
  ['an embed with two keys', [{ insert: { image: 'https://a.example/x.png', divider: true } }], C.INVALID_OP],
  ['an unknown embed', [{ insert: { video: 'https://a.example/x.mp4' } }], C.INVALID_OP],
  ['an image with a javascript: URL', [{ insert: { image: 'javascript:alert(1)' } }], C.INVALID_OP],
  ['an image with a mailto: URL', [{ insert: { image: 'mailto:a@b.c' } }], C.INVALID_OP],
  ['a divider that is not true', [{ insert: { divider: 1 } }], C.INVALID_OP],
  ['an embed array', [{ insert: ['divider'] }], C.INVALID_OP],
  [
    'an embed with a __proto__ key (JSON.parse)',
    JSON.parse('[{"insert":{"__proto__":{"divider":true}}}]'),
    C.INVALID_OP,
  ],

  // ---- OP_OUT_OF_RANGE ------------------------------------------------------
  ['retain past the end', [{ retain: 10 }], C.OP_OUT_OF_RANGE],
  ['delete past the end', [{ delete: 10 }], C.OP_OUT_OF_RANGE],
  ['retain then delete past the end', [{ retain: 5 }, { delete: 5 }], C.OP_OUT_OF_RANGE],
  ['a second retain past the end', [{ retain: 9 }, { retain: 1 }], C.OP_OUT_OF_RANGE],

  // ---- INVALID_TEXT -----------------------------------------------------------
  ['a lone high surrogate', [{ insert: '\ud83d' }], C.INVALID_TEXT],
  ['a lone low surrogate', [{ insert: '\ude00a' }], C.INVALID_TEXT],
  ['a high surrogate at the end', [{ insert: 'a\ud83d' }], C.INVALID_TEXT],
  ['two high surrogates', [{ insert: '\ud83d\ud83d\ude00' }], C.INVALID_TEXT],
  ['a trailing retain inside a pair changes nothing', [{ retain: 3 }], ok()],
  [
    'a retain with attributes ending inside a pair',
    [{ retain: 3, attributes: { bold: null } }],
    C.INVALID_TEXT,
  ],
  ['an insert inside a pair', [{ retain: 3 }, { insert: 'x' }], C.INVALID_TEXT],
  ['a delete starting inside a pair', [{ retain: 3 }, { delete: 1 }], C.INVALID_TEXT],
  ['a delete ending inside a pair', [{ retain: 2 }, { delete: 1 }], C.INVALID_TEXT],
  ['formatting half a pair', [{ retain: 2 }, { retain: 1, attributes: { italic: true } }], C.INVALID_TEXT],

  // ---- MISSING_FINAL_NEWLINE ------------------------------------------------
  [
    'deleting the final newline keeps the one before',
    [{ retain: 8 }, { delete: 1 }],
    ok({ retain: 8 }, { delete: 1 }),
  ],
  ['inserting after the final newline', [{ retain: 9 }, { insert: 'x' }], C.MISSING_FINAL_NEWLINE],
  ['inserting text ending after a newline', [{ retain: 9 }, { insert: '\nx' }], C.MISSING_FINAL_NEWLINE],
  [
    'replacing the final newline with text',
    [{ retain: 8 }, { delete: 1 }, { insert: 'x' }],
    C.MISSING_FINAL_NEWLINE,
  ],
  ['deleting everything', [{ delete: 9 }], C.MISSING_FINAL_NEWLINE],
  [
    'replacing everything with an embed',
    [{ delete: 9 }, { insert: { divider: true } }],
    C.MISSING_FINAL_NEWLINE,
  ],
  ['deleting back to an embed', [{ retain: 7 }, { delete: 2 }], C.MISSING_FINAL_NEWLINE],
  ['deleting back to text', [{ retain: 5 }, { delete: 4 }], C.MISSING_FINAL_NEWLINE],

  // ---- OP_TOO_LARGE / DOC_TOO_LARGE -----------------------------------------
  [
    'too many components',
    [{ insert: 'a' }, { retain: 1 }, { insert: 'b' }],
    C.OP_TOO_LARGE,
    { maxComponents: 2 },
  ],
  [
    'as many components as allowed',
    [{ insert: 'a' }, { retain: 1 }],
    ok({ insert: 'a' }),
    { maxComponents: 2 },
  ],
  ['one insert too long', [{ insert: 'abcd' }], C.OP_TOO_LARGE, { maxInsertLength: 3 }],
  [
    'inserts too long together',
    [{ insert: 'ab' }, { retain: 1 }, { insert: { divider: true } }, { insert: 'c' }],
    C.OP_TOO_LARGE,
    { maxInsertLength: 3 },
  ],
  ['a document growing past the limit', [{ insert: 'xx' }], C.DOC_TOO_LARGE, { maxDocumentLength: 10 }],
  ['a document growing to the limit', [{ insert: 'x' }], ok({ insert: 'x' }), { maxDocumentLength: 10 }],
  ['an oversized document may shrink', [{ delete: 1 }], ok({ delete: 1 }), { maxDocumentLength: 5 }],
  [
    'an oversized document may keep its size',
    [{ insert: 'x' }, { delete: 1 }],
    ok({ insert: 'x' }, { delete: 1 }),
    { maxDocumentLength: 5 },
  ],
];

describeValidateOpTable(CASES);

describe('validateOp: messages', () => {
  it('names the component index in the input and the position', () => {
    const result = validateOp([{ retain: 1 }, { retain: 1 }, { delete: 20 }], tableDocument());
    expect(result).toEqual({
      ok: false,
      code: C.OP_OUT_OF_RANGE,
      message: 'component 2: delete of 20 at 2 runs past the end of the document (length 9)',
    });
    expect(
      validateOp([{ retain: 1 }, { insert: 'a', attributes: { color: 'red' } }], tableDocument()),
    ).toMatchObject({
      message: 'component 1: attribute "color" is not allowed',
    });
    expect(validateOp([{ retain: 3 }, { insert: 'x' }], tableDocument())).toMatchObject({
      message: 'position 3 (end of normalized component 0) splits a surrogate pair',
    });
  });

  it('keeps messages short for huge keys', () => {
    const result = validateOp([{ insert: 'a', attributes: { ['k'.repeat(10_000)]: true } }], tableDocument());
    expect(result.ok).toBe(false);
    expect(!result.ok && result.message.length).toBeLessThan(100);
  });
});

describe('parseOp', () => {
  it('checks shape but not the document', () => {
    expect(parseOp([{ retain: 1000 }, { insert: 'x' }])).toEqual({
      ok: true,
      value: new Delta().retain(1000).insert('x'),
    });
    expect(parseOp([{ retain: 3 }, { delete: 1 }])).toEqual({
      ok: true,
      value: new Delta().retain(3).delete(1),
    });
    expect(parseOp([{ insert: '\ud800' }])).toMatchObject({ ok: false, code: C.INVALID_TEXT });
    expect(parseOp([{ insert: 'a', attributes: { header: 1 } }])).toMatchObject({
      ok: false,
      code: C.INVALID_ATTRIBUTES,
    });
    expect(parseOp([{ insert: 'ab' }], { maxInsertLength: 1 })).toMatchObject({
      ok: false,
      code: C.OP_TOO_LARGE,
    });
  });
});

describe('validateDocument', () => {
  const cases: [string, unknown, OtErrorCode | 'ok'][] = [
    ['the empty document', [{ insert: '\n' }], 'ok'],
    ['rich text', DOC_OPS, 'ok'],
    ['{ ops }', { ops: DOC_OPS }, 'ok'],
    ['no ops', [], C.MISSING_FINAL_NEWLINE],
    ['no final newline', [{ insert: 'a' }], C.MISSING_FINAL_NEWLINE],
    ['ends in an embed', [{ insert: '\n' }, { insert: { divider: true } }], C.MISSING_FINAL_NEWLINE],
    ['a retain', [{ retain: 1 }, { insert: '\n' }], C.INVALID_OP],
    ['a delete', [{ insert: '\n' }, { delete: 1 }], C.INVALID_OP],
    [
      'a null attribute',
      [{ insert: 'a', attributes: { bold: null } }, { insert: '\n' }],
      C.INVALID_ATTRIBUTES,
    ],
    ['a header on text', [{ insert: 'a\n', attributes: { header: 1 } }], C.INVALID_ATTRIBUTES],
    ['a lone surrogate', [{ insert: 'a\ud800\n' }], C.INVALID_TEXT],
    ['a NUL character (PostgreSQL jsonb refuses it)', [{ insert: 'a\u0000\n' }], C.INVALID_TEXT],
    [
      'a pair split between inserts',
      [{ insert: '\ud83d', attributes: { bold: true } }, { insert: '\ude00\n' }],
      C.INVALID_TEXT,
    ],
    ['too long', [{ insert: 'abcdef\n' }], C.DOC_TOO_LARGE],
  ];
  it.each(cases)('%s', (_name, input, expected) => {
    const result = validateDocument(input, {
      maxDocumentLength: 6 + (expected === C.DOC_TOO_LARGE ? 0 : 100),
    });
    if (expected === 'ok') expect(result.ok).toBe(true);
    else expect(result).toMatchObject({ ok: false, code: expected });
  });

  it('normalizes', () => {
    expect(validateDocument([{ insert: 'a' }, { insert: 'b', attributes: {} }, { insert: '\n' }])).toEqual({
      ok: true,
      value: new Delta([{ insert: 'ab\n' }]),
    });
  });
});
