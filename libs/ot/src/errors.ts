/**
 * Error codes produced by libs/ot. They are part of the one closed table of
 * wire error codes in libs/contracts, which re-uses these exact strings.
 */
export const OtErrorCode = {
  /** Not a well-formed operation: wrong shape, bad count, empty insert, unknown key. */
  INVALID_OP: 'INVALID_OP',
  /** An attribute outside the allow-list, a bad value, or an unsafe link. */
  INVALID_ATTRIBUTES: 'INVALID_ATTRIBUTES',
  /** A retain or delete that runs past the end of the document. */
  OP_OUT_OF_RANGE: 'OP_OUT_OF_RANGE',
  /** A lone surrogate, or a boundary that splits a surrogate pair. */
  INVALID_TEXT: 'INVALID_TEXT',
  /** The result would not end in a newline, as every Quill document must. */
  MISSING_FINAL_NEWLINE: 'MISSING_FINAL_NEWLINE',
  /** The operation is larger than the configured limit. */
  OP_TOO_LARGE: 'OP_TOO_LARGE',
  /** The resulting document would be larger than the configured limit. */
  DOC_TOO_LARGE: 'DOC_TOO_LARGE',
  /** The operation claims a base version the server has not reached. */
  VERSION_AHEAD: 'VERSION_AHEAD',
  /** The base version is older than the history the server keeps. */
  VERSION_TOO_OLD: 'VERSION_TOO_OLD',
} as const;

export type OtErrorCode = (typeof OtErrorCode)[keyof typeof OtErrorCode];

/** The result of an operation on untrusted input: never an exception. */
export type OtResult<T> = { ok: true; value: T } | { ok: false; code: OtErrorCode; message: string };

export function otError<T>(code: OtErrorCode, message: string): OtResult<T> {
  return { ok: false, code, message };
}
