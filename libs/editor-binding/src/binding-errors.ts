import { type OtErrorCode } from '@collab/ot';

/**
 * Error codes of the binding itself, next to libs/ot's (which it passes on
 * for Delta validation failures).
 */
export const BindingErrorCode = {
  /** A local transaction the Delta model cannot express (a step outside the flat line model, "\n" in text). */
  UNMAPPABLE_EDIT: 'UNMAPPABLE_EDIT',
  /** A remote Delta that does not fit the editor's document (past its end, block attributes on text...). */
  DELTA_DOES_NOT_FIT: 'DELTA_DOES_NOT_FIT',
  /** Nothing to undo or redo. */
  NOTHING_TO_UNDO: 'NOTHING_TO_UNDO',
} as const;
export type BindingErrorCode = (typeof BindingErrorCode)[keyof typeof BindingErrorCode];

/** A value, or a coded refusal that changed nothing. */
export type BindingResult<T> =
  { ok: true; value: T } | { ok: false; code: BindingErrorCode | OtErrorCode; message: string };

export function refuse<T>(code: BindingErrorCode | OtErrorCode, message: string): BindingResult<T> {
  return { ok: false, code, message };
}
