import Delta from 'quill-delta';
import { ChunkedDocument } from '../src/chunked-document';
import { type OtErrorCode } from '../src/errors';
import { type OpLimits } from '../src/limits';
import { validateOp } from '../src/validate-op';

/*
 * The validateOp table, shared by src/validate-op.spec.ts (shapes, ranges,
 * text, final newline, sizes) and src/validate-op.attributes.spec.ts: the
 * document every case runs against, the shape of a case and the runner.
 *
 * The document (positions on the left):
 *   0 a  1 b  2-3 😀 (bold)  4 c  5 \n  6 divider  7 \n (header 1)  8 \n (header 1)
 */
export const DOC_OPS = [
  { insert: 'ab' },
  { insert: '😀', attributes: { bold: true } },
  { insert: 'c\n' },
  { insert: { divider: true } },
  { insert: '\n\n', attributes: { header: 1 } },
];
/** A fresh ChunkedDocument of DOC_OPS. */
export const tableDocument = (): ChunkedDocument => ChunkedDocument.fromDelta(DOC_OPS);

/** A name, the input, then the error code expected or the normalized ops accepted, and optional limits. */
export type ValidateOpCase = [
  name: string,
  op: unknown,
  expected: OtErrorCode | { ops: unknown[] },
  limits?: Partial<OpLimits>,
];

/** The expected result of an accepted case: its normalized ops. */
export const ok = (...ops: unknown[]): { ops: unknown[] } => ({ ops });

/** Runs each case against a fresh table document, under one describe shared by every table file. */
export function describeValidateOpTable(cases: readonly ValidateOpCase[]): void {
  describe('validateOp: table of cases', () => {
    // A rest parameter: jest would take a fourth declared parameter for a done() callback.
    it.each(cases)('%s', (_name, op, expected, ...limits) => {
      const result = validateOp(op, tableDocument(), limits[0]);
      if (typeof expected === 'string') {
        expect(result).toMatchObject({ ok: false, code: expected });
      } else {
        expect(result).toEqual({ ok: true, value: new Delta(expected.ops as never) });
      }
    });
  });
}
