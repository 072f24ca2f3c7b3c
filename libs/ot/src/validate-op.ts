import type Delta from 'quill-delta';
import { OtErrorCode, otError, type OtResult } from './errors';
import { resolveLimits, type OpLimits } from './limits';
import { type ChunkedDocument } from './chunked-document';
import { scan, ScanMode } from './op-scan';

/*
 * The validation entry points. Each resolves its limits and runs the single
 * checking pass (op-scan.ts, where the rules and their reasons are) inside a
 * guard, so that hostile input can never make them throw.
 */

function guarded(run: () => OtResult<Delta>): OtResult<Delta> {
  try {
    return run();
  } catch {
    // Only hostile input gets here: a getter or proxy trap that throws.
    return otError(OtErrorCode.INVALID_OP, 'the operation could not be read');
  }
}

/**
 * Checks an untrusted operation against the document it will be applied to
 * and returns it normalized (fresh objects, equal neighbours merged, inserts
 * before deletes, trailing plain retain dropped), ready for
 * `ChunkedDocument#apply`. Never throws.
 *
 * `op` is an array of components or `{ ops: [...] }` (a Delta works too).
 * `doc` must be the document the op applies to: on the server, transform the
 * op to the head version first (see `parseOp` and `transformAgainstHistory`),
 * then validate it against the head document.
 *
 * Error codes: INVALID_OP (shape), INVALID_ATTRIBUTES, INVALID_TEXT (lone
 * surrogate, or a boundary inside a surrogate pair), OP_OUT_OF_RANGE,
 * MISSING_FINAL_NEWLINE, OP_TOO_LARGE, DOC_TOO_LARGE. The message names the
 * component index (in the input) and the document position.
 */
export function validateOp(op: unknown, doc: ChunkedDocument, limits?: Partial<OpLimits>): OtResult<Delta> {
  const resolved = resolveLimits(limits);
  return guarded(() => scan(op, doc, resolved, ScanMode.op));
}

/**
 * The document-independent part of {@link validateOp}: shape, counts,
 * attributes, lone surrogates, block attributes on inserted text, op size
 * limits. Use it before transforming an incoming op against history (transform
 * trusts its input); then call validateOp on the transformed op against the
 * head document. Never throws.
 */
export function parseOp(op: unknown, limits?: Partial<OpLimits>): OtResult<Delta> {
  const resolved = resolveLimits(limits);
  return guarded(() => scan(op, null, resolved, ScanMode.op));
}

/**
 * Checks an untrusted whole document (a snapshot being loaded, a test value):
 * inserts only, allowed attributes without nulls, block attributes on "\n"
 * inserts only, no lone surrogate inside any insert, ends in "\n", at most
 * `maxDocumentLength` long. Returns it normalized. Never throws.
 */
export function validateDocument(doc: unknown, limits?: Partial<OpLimits>): OtResult<Delta> {
  const resolved = resolveLimits(limits);
  return guarded(() => scan(doc, null, resolved, ScanMode.document));
}
