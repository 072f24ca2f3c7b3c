import Delta, { type Op } from 'quill-delta';
import { expectAccepted, expectRejected, fromWire } from '../../test/expect-parse';
import { MAX_ATTRIBUTES_PER_COMPONENT, MAX_DELTA_COMPONENTS } from '../limits';
import { AttributeMap, DeltaOp, DeltaOps, DocumentDelta } from './delta.schema';

// Compile-time: what the schema accepts is something quill-delta takes.
const asQuillOps = (ops: DeltaOps): Op[] => ops;

describe('DeltaOps', () => {
  it('accepts every component kind, embeds and attributes', () => {
    const ops = expectAccepted(DeltaOps, [
      { retain: 3 },
      { retain: 2, attributes: { bold: true, italic: null } },
      { insert: 'Hello', attributes: { link: 'https://example.com', header: 1 } },
      { insert: { image: 'https://example.com/a.png' } },
      { insert: { divider: true } },
      { insert: '\n', attributes: { 'code-block': 'plain', list: 'bullet' } },
      { delete: 4 },
    ]);
    expect(new Delta(asQuillOps(ops)).ops).toHaveLength(7);
  });

  it('accepts an empty operation (libs/ot decides whether it is allowed)', () => {
    expect(expectAccepted(DeltaOps, [])).toEqual([]);
  });

  it('round-trips what quill-delta produces', () => {
    const delta = new Delta().retain(5).insert('x', { bold: true }).delete(2).retain(1, { bold: null });
    expect(expectAccepted(DeltaOps, JSON.parse(JSON.stringify(delta.ops)))).toEqual(delta.ops);
  });

  it.each([
    ['a non-array', { ops: [] }, '(root)'],
    ['a non-object component', [3], '[0]'],
    ['an unknown key', [{ retain: 1, foo: 1 }], '[0]'],
    ['two kinds in one component', [{ insert: 'a', delete: 1 }], '[0]'],
    ['an empty component', [{}], '[0].insert'],
    ['a zero retain', [{ retain: 0 }], '[0].retain'],
    ['a negative retain', [{ retain: -1 }], '[0].retain'],
    ['a fractional retain', [{ retain: 1.5 }], '[0].retain'],
    ['an unsafe retain', [{ retain: 2 ** 53 }], '[0].retain'],
    ['a string retain', [{ retain: '1' }], '[0].retain'],
    ['a zero delete', [{ delete: 0 }], '[0].delete'],
    ['a delete with attributes', [{ delete: 1, attributes: { bold: true } }], '[0]'],
    ['an empty insert', [{ insert: '' }], '[0].insert'],
    ['a numeric insert', [{ insert: 5 }], '[0].insert'],
    ['an unknown embed', [{ insert: { video: 'x' } }], '[0].insert'],
    ['an embed with two keys', [{ insert: { image: 'x', divider: true } }], '[0].insert'],
    ['a false divider', [{ insert: { divider: false } }], '[0].insert'],
    ['an empty image', [{ insert: { image: '' } }], '[0].insert.image'],
    ['an object attribute value', [{ insert: 'a', attributes: { bold: { x: 1 } } }], '[0].attributes.bold'],
    ['an array attribute value', [{ insert: 'a', attributes: { bold: [true] } }], '[0].attributes.bold'],
    ['a bad attribute name', [{ insert: 'a', attributes: { 'a b': true } }], '[0].attributes["a b"]'],
    ['attributes that are not an object', [{ insert: 'a', attributes: 'bold' }], '[0].attributes'],
    ['a NaN-like number', [{ retain: Number.POSITIVE_INFINITY }], '[0].retain'],
  ])('rejects %s', (_name, input, path) => {
    expectRejected(DeltaOps, input, { path });
  });

  it('rejects a __proto__ attribute key arriving through JSON.parse', () => {
    const input = fromWire('[{"insert":"a","attributes":{"__proto__":{"bold":true}}}]');
    const message = expectRejected(DeltaOps, input, { path: '[0].attributes' });
    expect(message).toContain('__proto__');
    expect(({} as Record<string, unknown>)['bold']).toBeUndefined();
  });

  it('rejects a __proto__ key on a component or an embed', () => {
    expectRejected(DeltaOps, fromWire('[{"retain":1,"__proto__":{"x":1}}]'), { path: '[0]' });
    expectRejected(DeltaOps, fromWire('[{"insert":{"divider":true,"__proto__":{}}}]'), {
      path: '[0].insert',
    });
  });

  it('allows constructor-like attribute names through to libs/ot, which refuses them', () => {
    // Harmless as own keys; the allow-list in libs/ot refuses every unknown name.
    expect(expectAccepted(AttributeMap, fromWire('{"constructor":true}'))).toEqual({ constructor: true });
  });

  it('caps the number of components and of attributes', () => {
    const many = Array.from({ length: MAX_DELTA_COMPONENTS }, () => ({ retain: 1 }));
    expectAccepted(DeltaOps, many);
    expectRejected(DeltaOps, [...many, { retain: 1 }], { path: '(root)' });

    const attributes = Object.fromEntries(
      Array.from({ length: MAX_ATTRIBUTES_PER_COMPONENT + 1 }, (_, i) => [`a${i}`, true]),
    );
    expectRejected(DeltaOp, { retain: 1, attributes }, { path: 'attributes' });
  });
});

describe('DocumentDelta', () => {
  it('accepts inserts only', () => {
    expectAccepted(DocumentDelta, [{ insert: 'Title' }, { insert: '\n', attributes: { header: 1 } }]);
    expectRejected(DocumentDelta, [{ insert: 'a' }, { retain: 1 }], { path: '[1]' });
    expectRejected(DocumentDelta, [{ delete: 1 }], { path: '[0]' });
  });
});
