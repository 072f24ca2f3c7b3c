import {
  AppError,
  CLIENT_RETRY,
  ErrorCode,
  ErrorCodeSchema,
  isRetryableErrorCode,
  parse,
  retryDelayMs,
  WireError,
} from '@collab/contracts';

/** How the SDK reaches the gateway's REST API. */
export interface RestOptions {
  /** Gateway URL, e.g. http://localhost:3000. */
  readonly url: string;
  /** Returns a current access token (asked for on every attempt). */
  readonly token: () => string | Promise<string>;
  /** Tries per request, the first included, while the answer is retryable (default 8). */
  readonly attempts?: number;
  /** The ceiling of the first retry's wait (default 200 ms; see retryDelayMs in libs/contracts). */
  readonly retryDelayMs?: number;
  /** `fetch` to use (default: the global one). */
  readonly fetch?: typeof fetch;
}

const DEFAULT_ATTEMPTS = 8;

/** A contracts schema an answer is checked against (whatever `parse` takes). */
export type AnswerSchema = Parameters<typeof parse>[0];

/**
 * One REST request, sent again unchanged while the answer is retryable (no
 * answer at all, a 5xx without a code, or a retryable code): the comment
 * routes are idempotent on the client-made ids the body carries, so a resend
 * after a lost answer never stores twice. A final refusal rejects with an
 * `AppError` carrying the server's code, message and details; an answer that
 * does not match `schema` is `INTERNAL`.
 */
export async function restCall<T>(
  options: RestOptions,
  method: 'GET' | 'POST' | 'PATCH' | 'DELETE',
  path: string,
  schema: AnswerSchema | null,
  body?: unknown,
): Promise<T> {
  const attempts = options.attempts ?? DEFAULT_ATTEMPTS;
  const policy = { ...CLIENT_RETRY, baseMs: options.retryDelayMs ?? CLIENT_RETRY.baseMs };
  const send = options.fetch ?? fetch;
  let last: AppError = new AppError(ErrorCode.UNAVAILABLE);
  for (let attempt = 1; attempt <= attempts; attempt++) {
    if (attempt > 1) await new Promise((resolve) => setTimeout(resolve, retryDelayMs(attempt - 1, policy)));
    let response: Response;
    try {
      const headers: Record<string, string> = { authorization: `Bearer ${await options.token()}` };
      if (body !== undefined) headers['content-type'] = 'application/json';
      response = await send(`${options.url.replace(/\/$/, '')}/api${path}`, {
        method,
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
      });
    } catch (error) {
      last = new AppError(ErrorCode.UNAVAILABLE, 'The server could not be reached.', { cause: error });
      continue;
    }
    const text = await response.text().catch(() => '');
    if (response.ok) {
      if (schema === null) return undefined as T;
      const parsed = parse(schema, text === '' ? undefined : safeJson(text), ErrorCode.INTERNAL);
      if (!parsed.ok) throw new AppError(ErrorCode.INTERNAL, 'The server answered something unexpected.');
      return parsed.value as T;
    }
    last = refusalOf(response.status, text);
    if (!isRetryableErrorCode(last.code)) throw last;
  }
  throw last;
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** The server's `{error}` body as an AppError; a status without one gets a code by its class. */
function refusalOf(status: number, text: string): AppError {
  const parsed = parse(WireError, (safeJson(text) as { error?: unknown } | undefined)?.error);
  const code = parsed.ok ? ErrorCodeSchema.safeParse(parsed.value.code) : undefined;
  if (parsed.ok && code?.success) {
    return new AppError(code.data, parsed.value.message, {
      ...(parsed.value.details ? { details: parsed.value.details } : {}),
    });
  }
  return new AppError(status >= 500 ? ErrorCode.UNAVAILABLE : ErrorCode.BAD_REQUEST);
}
