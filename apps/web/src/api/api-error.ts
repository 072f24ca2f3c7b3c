import { ERROR_MESSAGES, type ErrorCode, ErrorCodeSchema } from '@collab/contracts';

/** A refused or failed request as the UI shows it: the wire code and a message for people. */
export class ApiError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string = ERROR_MESSAGES[code],
    readonly status = 0,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

/** Reads the `{ error: { code, message } }` envelope; anything else is INTERNAL. */
export function errorFromBody(status: number, body: unknown): ApiError {
  const error = (body as { error?: { code?: unknown; message?: unknown; details?: unknown } } | null)?.error;
  const code = ErrorCodeSchema.safeParse(error?.code);
  if (!code.success) return new ApiError('INTERNAL', undefined, status);
  const message = typeof error?.message === 'string' ? error.message : undefined;
  const details =
    error?.details && typeof error.details === 'object'
      ? (error.details as Record<string, unknown>)
      : undefined;
  return new ApiError(code.data, message, status, details);
}
