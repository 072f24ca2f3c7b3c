import { z } from 'zod';
import { parse, parseJson, summarizeIssues } from './parse';
import { DeltaOps } from './delta/delta.schema';

const Point = z.strictObject({ x: z.int(), y: z.int() });

describe('parse', () => {
  it('returns the parsed value on success', () => {
    expect(parse(Point, { x: 1, y: 2 })).toEqual({ ok: true, value: { x: 1, y: 2 } });
  });

  it('answers BAD_REQUEST with the failing paths in the message and details', () => {
    const result = parse(Point, { x: 'a', z: 1 });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error.code).toBe('BAD_REQUEST');
    expect(result.error.message).toMatch(/^Invalid payload: /);
    expect(result.error.message).toContain('x: Invalid input: expected number, received string');
    expect(result.error.message).toContain('y: ');
    expect(result.error.message).toContain('Unrecognized key: "z"');
    expect(result.error.details?.['issues']).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ path: 'x' }),
        expect.objectContaining({ path: 'y' }),
      ]),
    );
  });

  it('uses the code it is given', () => {
    const result = parse(DeltaOps, [{ retain: 0 }], 'INVALID_OP');
    expect(!result.ok && result.error.code).toBe('INVALID_OP');
  });

  it('names a few issues and counts the rest, within the message limit', () => {
    const result = parse(
      z.array(z.string()),
      Array.from({ length: 50 }, (_, i) => i),
    );
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error.message).toContain('(and 45 more)');
    expect(result.error.message.length).toBeLessThanOrEqual(1_000);
    expect(result.error.details?.['issues']).toHaveLength(20);
  });

  it('reports the closest branch of a union', () => {
    const result = parse(DeltaOps, [{ retain: -1 }, { insert: 5 }]);
    expect(!result.ok && result.error.message).toBe(
      'Invalid payload: [0].retain: Too small: expected number to be >0; [1].insert: Invalid input: expected string, received number',
    );
  });

  it('never throws, whatever the input', () => {
    const throwingGetter = Object.defineProperty({}, 'x', {
      enumerable: true,
      get() {
        throw new Error('boom');
      },
    });
    const hostileProxy = new Proxy(
      {},
      {
        get() {
          throw new Error('boom');
        },
        ownKeys() {
          throw new Error('boom');
        },
      },
    );
    const cyclic: Record<string, unknown> = {};
    cyclic['self'] = cyclic;
    for (const input of [throwingGetter, hostileProxy, cyclic, 10n, Symbol('s'), () => 1, undefined, null]) {
      const result = parse(Point, input);
      expect(result.ok).toBe(false);
      expect(!result.ok && result.error.code).toBe('BAD_REQUEST');
    }
  });
});

describe('parseJson', () => {
  it('parses and validates JSON text', () => {
    expect(parseJson(Point, '{"x":1,"y":2}')).toEqual({ ok: true, value: { x: 1, y: 2 } });
  });

  it('refuses text that is not JSON, or not text', () => {
    const notJson = parseJson(Point, '{x:1');
    expect(!notJson.ok && notJson.error).toEqual({
      code: 'BAD_REQUEST',
      message: 'The payload is not valid JSON.',
    });
    const notText = parseJson(Point, Buffer.from('{}'));
    expect(!notText.ok && notText.error.code).toBe('BAD_REQUEST');
  });

  it('refuses oversize text before parsing it, counting UTF-8 bytes', () => {
    const ascii = parseJson(z.string(), JSON.stringify('a'.repeat(100)), { maxBytes: 50 });
    expect(!ascii.ok && ascii.error.code).toBe('MESSAGE_TOO_LARGE');
    // 20 characters, 60 bytes.
    const wide = parseJson(z.string(), JSON.stringify('€'.repeat(20)), { maxBytes: 50 });
    expect(!wide.ok && wide.error.code).toBe('MESSAGE_TOO_LARGE');
    expect(parseJson(z.string(), JSON.stringify('€'.repeat(10)), { maxBytes: 50 }).ok).toBe(true);
  });

  it('applies the given code to invalid content', () => {
    const result = parseJson(Point, '{"x":1}', { code: 'INTERNAL' });
    expect(!result.ok && result.error.code).toBe('INTERNAL');
  });
});

describe('summarizeIssues', () => {
  it('formats paths with indexes and quoted odd keys', () => {
    const schema = z.object({ a: z.array(z.object({ 'b-c': z.string() })) });
    const result = schema.safeParse({ a: [{ 'b-c': 1 }] });
    expect(result.success).toBe(false);
    if (result.success) return;
    expect(summarizeIssues(result.error.issues)).toEqual([
      { path: 'a[0]["b-c"]', message: 'Invalid input: expected string, received number' },
    ]);
  });
});
