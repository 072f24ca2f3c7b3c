import { randomUUID } from 'node:crypto';
import { AppError, ErrorCode } from '@collab/contracts';
import type { Logger } from 'pino';
import { isInfrastructureUnavailable } from './infrastructure-errors';

/**
 * The key of the error reference in a wire error's details: the id of the
 * one log line that holds the cause, for a person to quote and an operator
 * to search for.
 */
export const ERROR_REFERENCE = 'errorReference';

/**
 * Anything thrown, as a coded error; pure (no log, no reference). An
 * AppError stays as it is. A backing service that is unreachable or timed
 * out (PostgreSQL, Redis: {@link isInfrastructureUnavailable}) becomes
 * UNAVAILABLE, which the client retries; anything else is a bug and becomes
 * INTERNAL. Both keep what was thrown as their cause, for
 * {@link reportError} to log.
 */
export function classifyError(error: unknown): AppError {
  if (error instanceof AppError) return error;
  if (isInfrastructureUnavailable(error)) {
    return new AppError(ErrorCode.UNAVAILABLE, 'A backing service is unavailable; retry.', { cause: error });
  }
  return new AppError(ErrorCode.INTERNAL, undefined, { cause: error });
}

/** The reference each logged cause was given: a cause reported twice is logged once. */
const references = new WeakMap<object, string>();

/**
 * What a transport answers for anything thrown (the REST exception filter,
 * the socket gateway's acks, the doc-service's inbox): {@link classifyError},
 * then, when the error has a cause (something failed underneath: a lost
 * connection, a bug), the cause is logged once with a generated reference
 * (error for INTERNAL, warn for a retryable code) and the answer carries the
 * reference in its details (`errorReference`), so a person can quote it. An
 * AppError without a cause is a deliberate answer: nothing is logged. The
 * same cause reported again (one failed commit refuses every operation of
 * its batch) gets the same reference and no second log line.
 */
export function reportError(log: Logger, error: unknown, context: Record<string, unknown> = {}): AppError {
  const classified = classifyError(error);
  const cause: unknown = classified.cause;
  if (cause === undefined || classified.details?.[ERROR_REFERENCE] !== undefined) return classified;
  const key = typeof cause === 'object' && cause !== null ? cause : classified;
  let reference = references.get(key);
  if (reference === undefined) {
    reference = randomUUID();
    references.set(key, reference);
    const line = { ...context, err: cause, code: classified.code, [ERROR_REFERENCE]: reference };
    if (classified.code === ErrorCode.INTERNAL) log.error(line, 'unexpected error');
    else log.warn(line, `answered ${classified.code}: ${classified.message}`);
  }
  return new AppError(classified.code, classified.message, {
    details: { ...classified.details, [ERROR_REFERENCE]: reference },
    cause,
  });
}
