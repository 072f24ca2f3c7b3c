import { ERROR_MESSAGES, type ErrorCode } from './error-codes';
import { wireError, type WireError } from './wire-error';

/**
 * The error domain code throws. It carries a wire code, so each transport
 * maps it exactly once (HTTP status in the exception filter, an ack or
 * `error` event on Socket.IO, `UnrecoverableError` for a poison job) and
 * domain code never knows which transport it serves.
 */
export class AppError extends Error {
  /** The wire code. */
  readonly code: ErrorCode;
  /** Structured details, sent to the client as they are: nothing secret. */
  readonly details: Record<string, unknown> | undefined;

  constructor(
    code: ErrorCode,
    message: string = ERROR_MESSAGES[code],
    options: { details?: Record<string, unknown>; cause?: unknown } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'AppError';
    this.code = code;
    this.details = options.details;
  }

  /** The error as it travels: code, message and details, no stack. */
  toWire(): WireError {
    return wireError(this.code, this.message, this.details);
  }
}

/** Whether `error` is an {@link AppError}. */
export function isAppError(error: unknown): error is AppError {
  return error instanceof AppError;
}

/**
 * Turns anything thrown into a wire error. An {@link AppError} keeps its code,
 * message and details; anything else becomes `INTERNAL` with the default
 * message, so an unexpected exception never leaks its text to a client
 * (log it before calling this).
 */
export function toWireError(error: unknown): WireError {
  if (error instanceof AppError) return error.toWire();
  return wireError('INTERNAL');
}
