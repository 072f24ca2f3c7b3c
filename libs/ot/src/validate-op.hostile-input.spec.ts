import fc from 'fast-check';
import Delta from 'quill-delta';
import { arbDocument, arbOpFor } from '../test/arbitraries';
import { DOC_OPS, tableDocument } from '../test/validate-op-table';
import { OtErrorCode } from './errors';
import { ChunkedDocument } from './chunked-document';
import { validateDocument, validateOp } from './validate-op';

/*
 * validateOp on input no table lists: hostile objects (throwing getters and
 * proxies, getters that change their answer), arbitrary values and JSON, and
 * every operation the shared generators make.
 */

const C = OtErrorCode;

describe('validateOp: hostile input', () => {
  it('reports a throwing getter as INVALID_OP', () => {
    const component = {};
    Object.defineProperty(component, 'insert', {
      enumerable: true,
      get: () => {
        throw new Error('boom');
      },
    });
    expect(validateOp([component], tableDocument())).toMatchObject({ ok: false, code: C.INVALID_OP });
  });

  it('reports a throwing proxy as INVALID_OP', () => {
    const trap = new Proxy(
      {},
      {
        getPrototypeOf: () => {
          throw new Error('boom');
        },
      },
    );
    expect(validateOp([trap], tableDocument())).toMatchObject({ ok: false, code: C.INVALID_OP });
    expect(
      validateOp(
        new Proxy([], {
          get: () => {
            throw new Error('boom');
          },
        }),
        tableDocument(),
      ),
    ).toMatchObject({ ok: false, code: C.INVALID_OP });
  });

  it('reads a getter once, so the value checked is the value applied', () => {
    let reads = 0;
    const component = {};
    Object.defineProperty(component, 'insert', {
      enumerable: true,
      get: () => (reads++ === 0 ? 'x' : '\ud800'),
    });
    const result = validateOp([component], tableDocument());
    expect(result).toEqual({ ok: true, value: new Delta([{ insert: 'x' }]) });
    expect(reads).toBe(1);
  });

  it('returns fresh objects, not the input', () => {
    const attributes = { bold: true };
    const input = [{ retain: 2, attributes }];
    const result = validateOp(input, tableDocument());
    expect(result.ok && result.value.ops[0]).not.toBe(input[0]);
    expect(result.ok && result.value.ops[0].attributes).not.toBe(attributes);
  });

  it('never throws on arbitrary values and JSON (5,000 runs)', () => {
    const d = tableDocument();
    fc.assert(
      fc.property(
        fc.oneof(
          fc.anything(),
          fc.jsonValue(),
          fc.array(fc.anything()),
          fc.array(fc.object({ withNullPrototype: true })),
        ),
        (input) => {
          const result = validateOp(input, d);
          expect(typeof result.ok).toBe('boolean');
          const wrapped = validateOp({ ops: input }, d);
          expect(typeof wrapped.ok).toBe('boolean');
        },
      ),
      { numRuns: 5_000 },
    );
  });

  it('never throws on components with arbitrary fields (5,000 runs)', () => {
    const d = tableDocument();
    const value = fc.oneof(
      fc.anything(),
      fc.integer({ min: -2, max: 12 }),
      fc.constantFrom('a', '\n', '😀', '\ud800', ''),
    );
    const component = fc.dictionary(
      fc.constantFrom('insert', 'retain', 'delete', 'attributes', '__proto__', 'constructor'),
      value,
      { maxKeys: 3 },
    );
    fc.assert(
      fc.property(fc.array(component, { maxLength: 5 }), (components) => {
        const input: unknown = JSON.parse(JSON.stringify(components) ?? 'null');
        const result = validateOp(input, d);
        if (result.ok) {
          // Whatever passes is safe to apply, and applying it agrees with compose.
          const expected = new Delta(DOC_OPS).compose(result.value);
          expect(ChunkedDocument.fromDelta(DOC_OPS).apply(result.value).toDelta()).toEqual(expected);
          expect(validateDocument(expected).ok).toBe(true);
        }
      }),
      { numRuns: 5_000 },
    );
  });
});

describe('validateOp and the shared generators', () => {
  it('accepts every generated valid op unchanged (2,000 runs)', () => {
    fc.assert(
      fc.property(
        arbDocument().chain((d) => arbOpFor(d).map((op) => ({ d, op }))),
        ({ d, op }) => {
          expect(validateOp(JSON.parse(JSON.stringify(op)), ChunkedDocument.fromDelta(d))).toEqual({
            ok: true,
            value: op,
          });
        },
      ),
      { numRuns: 2_000 },
    );
  });
});
