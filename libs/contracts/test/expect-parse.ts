import type { z } from 'zod';
import { parse } from '../src/parse';
import type { ErrorCode } from '../src/errors/error-codes';

/** Valid v4 UUIDs for fixtures. */
export const DOC_ID = '3f2b8c1e-9a4d-4e6f-8b2a-1c3d5e7f9a0b';
export const OTHER_DOC_ID = 'a1b2c3d4-e5f6-4a7b-8c9d-0e1f2a3b4c5d';
export const USER_ID = '6e0a5b2c-7d8e-4f90-a1b2-c3d4e5f60718';

/** Parses and expects success; returns the parsed value. */
export function expectAccepted<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  const result = parse(schema, input);
  if (!result.ok) throw new Error(`expected acceptance, got ${result.error.code}: ${result.error.message}`);
  return result.value;
}

/**
 * Parses and expects refusal with `code` (default BAD_REQUEST); when `path`
 * is given, one of the reported issues must be at that path.
 */
export function expectRejected(
  schema: z.ZodType,
  input: unknown,
  options: { code?: ErrorCode; path?: string } = {},
): string {
  const result = parse(schema, input, options.code);
  if (result.ok) throw new Error(`expected refusal of ${safeJson(input)}`);
  expect(result.error.code).toBe(options.code ?? 'BAD_REQUEST');
  if (options.path !== undefined) {
    const paths = (result.error.details?.['issues'] as { path: string }[]).map((issue) => issue.path);
    expect(paths).toContain(options.path);
  }
  return result.error.message;
}

/** A payload as it arrives off the wire: own `__proto__` keys included. */
export function fromWire(json: string): unknown {
  return JSON.parse(json);
}

function safeJson(value: unknown): string {
  try {
    return JSON.stringify(value);
  } catch {
    return String(value);
  }
}
