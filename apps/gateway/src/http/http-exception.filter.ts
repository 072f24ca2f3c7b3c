import { ErrorCode, type WireError, wireError } from '@collab/contracts';
import { reportError } from '@collab/observability';
import { type ArgumentsHost, Catch, type ExceptionFilter, HttpException } from '@nestjs/common';
import type { Response } from 'express';
import type { Logger } from 'pino';
import { HTTP_STATUS } from './http-status';

/** Codes for the errors Nest or Express raise before our code runs (unknown route, unreadable body...). */
function codeForStatus(status: number): ErrorCode {
  if (status === 404) return ErrorCode.NOT_FOUND;
  if (status === 413) return ErrorCode.MESSAGE_TOO_LARGE;
  if (status === 401) return ErrorCode.UNAUTHENTICATED;
  if (status === 403) return ErrorCode.FORBIDDEN;
  if (status === 429) return ErrorCode.RATE_LIMITED;
  if (status >= 400 && status < 500) return ErrorCode.BAD_REQUEST;
  return ErrorCode.INTERNAL;
}

/**
 * Every REST error leaves as `{ error: { code, message, details? } }` with the
 * status of its code. An HTTP exception raised by the framework gets the code
 * of its status; anything else goes through the one classifier
 * (`reportError`, libs/observability): an AppError keeps its code, a lost
 * PostgreSQL or Redis is `UNAVAILABLE` (503, retryable), anything else
 * `INTERNAL` without its message or stack; a cause is logged once and its
 * reference sent in the details.
 */
@Catch()
export class HttpExceptionFilter implements ExceptionFilter {
  constructor(private readonly log: Logger) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    const response = host.switchToHttp().getResponse<Response>();
    const error = this.toWire(exception);
    if (response.headersSent) return;
    response.status(HTTP_STATUS[error.code]).json({ error });
  }

  private toWire(exception: unknown): WireError {
    if (exception instanceof HttpException) {
      const status = exception.getStatus();
      if (status >= 500) this.log.error({ err: exception }, 'http exception');
      return wireError(codeForStatus(status));
    }
    // body-parser errors carry a status (400 unreadable JSON, 413 too large).
    const status = (exception as { status?: unknown } | null)?.status;
    if (typeof status === 'number' && status >= 400 && status < 500) return wireError(codeForStatus(status));
    return reportError(this.log, exception, { transport: 'http' }).toWire();
  }
}
