import type { z } from 'zod';
import { utf8ByteLength } from './bytes';
import { ErrorCode } from './errors/error-codes';
import { wireError, type WireError } from './errors/wire-error';
import { MAX_SERVICE_MESSAGE_BYTES } from './limits';

/** The outcome of validating untrusted input: never an exception. */
export type ParseResult<T> = { ok: true; value: T } | { ok: false; error: WireError };

/** One failing location of a rejected payload. */
export interface ParseIssue {
  /** Where, as `delta[3].retain`; `(root)` for the payload itself. */
  path: string;
  /** What is wrong there. */
  message: string;
}

type ZodIssue = z.ZodError['issues'][number];

/** Issues named in the message; the rest are counted. */
const MESSAGE_ISSUES = 5;
/** Issues listed in `details.issues`. */
const DETAIL_ISSUES = 20;

/**
 * Validates `input` against `schema`. On success returns the parsed value
 * (unknown keys stripped or rejected as the schema says, strings trimmed
 * where the schema trims); on failure a wire error with `code` (default
 * `BAD_REQUEST`), a readable message naming the failing paths, and
 * `details.issues` listing them. Never throws, whatever `input` is.
 */
export function parse<S extends z.ZodType>(
  schema: S,
  input: unknown,
  code: ErrorCode = ErrorCode.BAD_REQUEST,
): ParseResult<z.output<S>> {
  let result: z.ZodSafeParseResult<z.output<S>>;
  try {
    result = schema.safeParse(input);
  } catch {
    // A hostile object (a throwing getter, a Proxy) or a schema bug: the
    // input is refused, the process keeps running.
    return { ok: false, error: wireError(code, 'The payload could not be read.') };
  }
  if (result.success) return { ok: true, value: result.data };
  return { ok: false, error: issuesToWireError(result.error.issues, code) };
}

/**
 * Parses JSON text (a Redis message, a stored job payload) and validates it
 * against `schema`, like {@link parse}. Text longer than `maxBytes` (default
 * {@link MAX_SERVICE_MESSAGE_BYTES}) is refused with `MESSAGE_TOO_LARGE`
 * before it is parsed; text that is not JSON gets `code`. Never throws.
 */
export function parseJson<S extends z.ZodType>(
  schema: S,
  text: unknown,
  options: { code?: ErrorCode; maxBytes?: number } = {},
): ParseResult<z.output<S>> {
  const code = options.code ?? ErrorCode.BAD_REQUEST;
  const maxBytes = options.maxBytes ?? MAX_SERVICE_MESSAGE_BYTES;
  if (typeof text !== 'string') {
    return { ok: false, error: wireError(code, 'Expected JSON text.') };
  }
  // Each UTF-16 unit is 1 to 3 UTF-8 bytes: skip the exact count when the
  // length alone decides.
  if (text.length > maxBytes || (text.length * 3 > maxBytes && utf8ByteLength(text) > maxBytes)) {
    return { ok: false, error: wireError(ErrorCode.MESSAGE_TOO_LARGE, undefined, { maxBytes }) };
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { ok: false, error: wireError(code, 'The payload is not valid JSON.') };
  }
  return parse(schema, value, code);
}

/**
 * The failing locations of a zod error, one per leaf. Of the branches of a
 * union the closest one (fewest issues) is reported, so that `{retain: -1}`
 * reads "retain: Too small" rather than "Invalid input" three times over.
 */
export function summarizeIssues(issues: readonly ZodIssue[]): ParseIssue[] {
  const out: ParseIssue[] = [];
  collect(issues, [], out);
  return out;
}

function issuesToWireError(issues: readonly ZodIssue[], code: ErrorCode): WireError {
  const summary = summarizeIssues(issues);
  const named = summary.slice(0, MESSAGE_ISSUES).map((issue) => `${issue.path}: ${issue.message}`);
  const more = summary.length > MESSAGE_ISSUES ? ` (and ${summary.length - MESSAGE_ISSUES} more)` : '';
  return wireError(code, `Invalid payload: ${named.join('; ')}${more}`, {
    issues: summary.slice(0, DETAIL_ISSUES),
  });
}

function collect(issues: readonly ZodIssue[], base: readonly PropertyKey[], out: ParseIssue[]): void {
  for (const issue of issues) {
    const path = [...base, ...issue.path];
    if (issue.code === 'invalid_union' && issue.errors.length > 0) {
      const closest = issue.errors.reduce((best, branch) => (branch.length < best.length ? branch : best));
      if (closest.length > 0) {
        collect(closest, path, out);
        continue;
      }
    }
    if (issue.code === 'invalid_key' || issue.code === 'invalid_element') {
      out.push({
        path: formatPath(path),
        message: `${issue.message}: ${issue.issues.map((i) => i.message).join('; ')}`,
      });
      continue;
    }
    out.push({ path: formatPath(path), message: issue.message });
  }
}

function formatPath(path: readonly PropertyKey[]): string {
  if (path.length === 0) return '(root)';
  let text = '';
  for (const key of path) {
    if (typeof key === 'number') text += `[${key}]`;
    else {
      const name = String(key);
      text += /^[A-Za-z_$][A-Za-z0-9_$]*$/.test(name)
        ? text === ''
          ? name
          : `.${name}`
        : `[${JSON.stringify(name)}]`;
    }
  }
  return text;
}
