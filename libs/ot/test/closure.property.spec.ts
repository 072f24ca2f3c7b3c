/**
 * Closure: every operation validateOp accepts, applied to a valid document,
 * gives a valid document; and the server's apply agrees with Delta#compose.
 *
 * Documents come from the shared generators (rich text, block formats,
 * embeds, astral characters and ZWJ sequences). Operations come from two
 * sources: the shared generator of valid operations (all must be accepted),
 * and a "wild" generator below that aims near the rules (counts running past
 * the end, boundaries inside surrogate pairs, block attributes on text, the
 * final newline deleted, bad values, lone surrogates) so that both accepted
 * and refused operations are common.
 *
 * Validity of the result is judged by validateDocument and, independently of
 * src/, by documentProblems below. fast-check prints the seed and path of a
 * failure; a failure found this way becomes a fixed case in
 * src/validate-op.spec.ts (src/validate-op.attributes.spec.ts for attributes).
 */
import fc from 'fast-check';
import type Delta from 'quill-delta';
import type { AttributeMap, Op } from 'quill-delta';
import { ChunkedDocument } from '../src/chunked-document';
import { validateDocument, validateOp } from '../src/validate-op';
import { arbDocument, arbOpFor, documentAtoms, TEXT_UNITS } from './arbitraries';

// ---- an oracle written without src/ -----------------------------------------

// eslint-disable-next-line no-control-regex
const URL_BLANKS = /[\s\u0000-\u001f\u007f]/;
const URL_OK = (v: unknown, schemes: RegExp): boolean =>
  typeof v === 'string' && schemes.test(v) && !URL_BLANKS.test(v) && v.length <= 2048;
const INLINE: Record<string, (v: unknown) => boolean> = {
  bold: (v) => v === true,
  italic: (v) => v === true,
  underline: (v) => v === true,
  strike: (v) => v === true,
  code: (v) => v === true,
  link: (v) => URL_OK(v, /^(https?:\/\/.|mailto:.)/i),
};
const BLOCK: Record<string, (v: unknown) => boolean> = {
  header: (v) => [1, 2, 3, 4, 5, 6].includes(v as number),
  list: (v) => ['bullet', 'ordered', 'checked', 'unchecked'].includes(v as string),
  indent: (v) => [0, 1, 2, 3, 4, 5, 6, 7, 8].includes(v as number),
  blockquote: (v) => v === true,
  'code-block': (v) => v === true,
  align: (v) => ['left', 'center', 'right', 'justify'].includes(v as string),
};

/** Everything wrong with `doc` as a stored document; empty when it is valid. */
function documentProblems(doc: Delta): string[] {
  const problems: string[] = [];
  let text = '';
  for (const op of doc.ops) {
    const keys = Object.keys(op).filter((k) => k !== 'attributes');
    if (keys.length !== 1 || keys[0] !== 'insert') problems.push(`not an insert: ${JSON.stringify(op)}`);
    const insert = op.insert;
    const attributes = op.attributes ?? {};
    let newlinesOnly = false;
    if (typeof insert === 'string') {
      if (insert === '') problems.push('empty insert');
      if (/[\ud800-\udfff]/u.test(insert)) problems.push(`lone surrogate in ${JSON.stringify(insert)}`);
      newlinesOnly = /^\n+$/.test(insert);
      text += insert;
    } else {
      const embedKeys = Object.keys(insert ?? {});
      const e = insert as Record<string, unknown>;
      const okEmbed =
        embedKeys.length === 1 &&
        ((embedKeys[0] === 'image' && URL_OK(e.image, /^https?:\/\/./i)) ||
          (embedKeys[0] === 'divider' && e.divider === true));
      if (!okEmbed) problems.push(`bad embed ${JSON.stringify(insert)}`);
      text += '\ufffc';
    }
    for (const [key, value] of Object.entries(attributes)) {
      if (key in INLINE) {
        if (!INLINE[key](value)) problems.push(`bad ${key}: ${JSON.stringify(value)}`);
      } else if (key in BLOCK) {
        if (!BLOCK[key](value)) problems.push(`bad ${key}: ${JSON.stringify(value)}`);
        if (!newlinesOnly) problems.push(`block attribute ${key} off a newline: ${JSON.stringify(op)}`);
      } else {
        problems.push(`unknown attribute ${key}`);
      }
    }
  }
  if (!text.endsWith('\n')) problems.push('no final newline');
  if (/[\ud800-\udfff]/u.test(text)) problems.push('lone surrogate across inserts');
  return problems;
}

// ---- the wild operation generator ---------------------------------------------

const arbWildAttributes = (allowNull: boolean): fc.Arbitrary<AttributeMap | undefined> =>
  fc.option(
    fc
      .array(
        fc.oneof(
          fc.tuple(fc.constantFrom('bold', 'italic', 'code'), fc.constantFrom<unknown>(true, true, false)),
          fc.tuple(
            fc.constant('link'),
            fc.constantFrom<unknown>('https://example.com/', 'mailto:a@b.c', 'javascript:x()'),
          ),
          fc.tuple(fc.constant('header'), fc.constantFrom<unknown>(1, 6, 7)),
          fc.tuple(fc.constant('list'), fc.constantFrom<unknown>('bullet', 'checked', 'dashed')),
          fc.tuple(fc.constant('indent'), fc.constantFrom<unknown>(0, 8, 9)),
          fc.tuple(fc.constantFrom('blockquote', 'code-block'), fc.constant<unknown>(true)),
          fc.tuple(fc.constant('align'), fc.constantFrom<unknown>('center', 'justify')),
          fc.tuple(fc.constantFrom('color', '__proto__'), fc.constant<unknown>('red')),
        ),
        { minLength: 1, maxLength: 3 },
      )
      .chain((pairs) =>
        fc.array(fc.boolean(), { minLength: pairs.length, maxLength: pairs.length }).map((nulls) => {
          const attributes: AttributeMap = {};
          pairs.forEach(([key, value], i) => {
            Object.defineProperty(attributes, key, {
              value: allowNull && nulls[i] ? null : value,
              enumerable: true,
              writable: true,
              configurable: true,
            });
          });
          return attributes;
        }),
      ),
    { nil: undefined, freq: 2 },
  );

const arbWildInsert: fc.Arbitrary<string | Record<string, unknown>> = fc.oneof(
  {
    arbitrary: fc
      .array(fc.constantFrom(...TEXT_UNITS), { minLength: 1, maxLength: 3 })
      .map((u) => u.join('')),
    weight: 6,
  },
  { arbitrary: fc.constantFrom('\n', '\n\n', 'a\n'), weight: 3 },
  { arbitrary: fc.constantFrom('\ud83d', 'x\ude00'), weight: 1 },
  {
    arbitrary: fc.constantFrom<Record<string, unknown>>(
      { divider: true },
      { image: 'https://example.com/a.png' },
      { image: 'ftp://x' },
    ),
    weight: 1,
  },
);

type WildStep = {
  kind: 'retain' | 'delete' | 'insert';
  count: number;
  insert: string | Record<string, unknown>;
  attributes?: AttributeMap;
};

const arbWildSteps: fc.Arbitrary<WildStep[]> = fc.array(
  fc.record({
    kind: fc.constantFrom<WildStep['kind']>('retain', 'retain', 'delete', 'insert'),
    count: fc.integer({ min: 1, max: 6 }),
    insert: arbWildInsert,
    attributes: arbWildAttributes(true),
  }),
  { minLength: 1, maxLength: 6 },
);

/**
 * Turns steps into raw components. Counts are mostly in code points (so most
 * boundaries are legal), sometimes in code units (so some split a pair), and
 * the last retain or delete may run one past the end.
 */
function wildOp(doc: Delta, steps: readonly WildStep[], unitCounts: boolean, overrun: boolean): Op[] {
  const atoms = documentAtoms(doc);
  const ops: Op[] = [];
  let atom = 0;
  for (const step of steps) {
    if (step.kind === 'insert') {
      const attributes = step.attributes;
      ops.push(attributes ? { insert: step.insert, attributes } : { insert: step.insert });
      continue;
    }
    let count = 0;
    for (let k = 0; k < step.count && atom < atoms.length; k++)
      count += unitCounts ? 1 : atoms[atom++].length;
    if (unitCounts) atom += step.count;
    if (overrun && step === steps[steps.length - 1]) count += 1;
    if (count === 0) continue;
    const op: Op = step.kind === 'retain' ? { retain: count } : { delete: count };
    if (step.kind === 'retain' && step.attributes) op.attributes = step.attributes;
    ops.push(op);
  }
  return ops;
}

/** Applies `op` both ways and checks the result; returns whether validateOp accepted it. */
function checkClosure(doc: Delta, op: unknown): boolean {
  const server = ChunkedDocument.fromDelta(doc);
  const result = validateOp(op, server);
  if (!result.ok) return false;
  const composed = doc.compose(result.value);
  const applied = server.apply(result.value).toDelta();
  expect(applied).toEqual(composed);
  expect(documentProblems(applied)).toEqual([]);
  expect(validateDocument(applied)).toEqual({ ok: true, value: applied });
  return true;
}

describe('closure: valid op on valid document gives a valid document', () => {
  it('holds for the shared generators, and validateOp accepts all their ops (10,000 runs)', () => {
    fc.assert(
      fc.property(
        arbDocument().chain((doc) => arbOpFor(doc).map((op) => ({ doc, op }))),
        ({ doc, op }) => {
          expect(documentProblems(doc)).toEqual([]);
          // As the op arrives: JSON.
          expect(checkClosure(doc, JSON.parse(JSON.stringify(op)))).toBe(true);
        },
      ),
      { numRuns: 10_000 },
    );
  });

  it('holds for wild operations, which are accepted and refused alike (10,000 runs)', () => {
    let accepted = 0;
    let runs = 0;
    fc.assert(
      fc.property(
        arbDocument(),
        arbWildSteps,
        fc.boolean(),
        fc.integer({ min: 0, max: 9 }),
        (doc, steps, unitCounts, dice) => {
          runs++;
          if (checkClosure(doc, wildOp(doc, steps, unitCounts && dice < 3, dice === 0))) accepted++;
        },
      ),
      { numRuns: 10_000 },
    );
    // Guard against a vacuous property: a good share of the wild ops must pass.
    expect(accepted / runs).toBeGreaterThan(0.15);
    expect(accepted / runs).toBeLessThan(0.85);
  });
});
