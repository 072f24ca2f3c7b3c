/**
 * Size limits enforced by {@link validateOp} and {@link validateDocument}.
 *
 * Lengths are in UTF-16 code units, the unit quill-delta counts in (an astral
 * character such as an emoji counts 2, an embed counts 1).
 */
export interface OpLimits {
  /** Most components (insert/retain/delete entries) one operation may hold. */
  readonly maxComponents: number;
  /** Most characters one operation may insert, summed over its inserts (an embed counts 1). */
  readonly maxInsertLength: number;
  /**
   * Largest document an operation may produce. An operation that does not grow
   * the document is accepted even when the document is already larger (for
   * instance after the limit was lowered), so an oversized document can always
   * be shrunk.
   */
  readonly maxDocumentLength: number;
}

/**
 * Defaults sized for interactive editing: a keystroke is 1-3 components, a
 * large paste is a few thousand, and an offline buffer composed from a long
 * session stays well below the component limit. A document of 2 million code
 * units is several hundred pages of text.
 */
export const DEFAULT_OP_LIMITS: OpLimits = Object.freeze({
  maxComponents: 20_000,
  maxInsertLength: 1_000_000,
  maxDocumentLength: 2_000_000,
});

/** Fills in the defaults for the limits a caller did not give. */
export function resolveLimits(limits?: Partial<OpLimits>): OpLimits {
  if (limits === undefined) return DEFAULT_OP_LIMITS;
  return {
    maxComponents: limits.maxComponents ?? DEFAULT_OP_LIMITS.maxComponents,
    maxInsertLength: limits.maxInsertLength ?? DEFAULT_OP_LIMITS.maxInsertLength,
    maxDocumentLength: limits.maxDocumentLength ?? DEFAULT_OP_LIMITS.maxDocumentLength,
  };
}
