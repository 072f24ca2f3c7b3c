import { z } from 'zod';
import { MAX_ERROR_MESSAGE_LENGTH } from '../limits';
import { ERROR_MESSAGES, ErrorCodeSchema, type ErrorCode } from './error-codes';

/**
 * An error as it travels: a code from the closed table, a human-readable
 * message, and optional structured details (for example the failing paths
 * of a `BAD_REQUEST`). Never a stack trace.
 */
export const WireError = z.object({
  code: ErrorCodeSchema,
  message: z.string().max(MAX_ERROR_MESSAGE_LENGTH),
  details: z.record(z.string(), z.unknown()).optional(),
});

/** An error as it travels. See {@link WireError}. */
export type WireError = z.infer<typeof WireError>;

/**
 * Builds a wire error; the message defaults to the code's short default
 * message and is cut to the maximum message length.
 */
export function wireError(code: ErrorCode, message?: string, details?: Record<string, unknown>): WireError {
  const text = (message ?? ERROR_MESSAGES[code]).slice(0, MAX_ERROR_MESSAGE_LENGTH);
  return details === undefined ? { code, message: text } : { code, message: text, details };
}
