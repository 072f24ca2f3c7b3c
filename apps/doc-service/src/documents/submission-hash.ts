import { createHash } from 'node:crypto';

/**
 * Canonical JSON: object keys sorted, so the same operation hashes the same
 * whatever key order the client (or a JSON round trip through jsonb) used.
 */
function canonical(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  const entries = Object.keys(value)
    .sort()
    .map((key) => `${JSON.stringify(key)}:${canonical((value as Record<string, unknown>)[key])}`);
  return `{${entries.join(',')}}`;
}

/**
 * Identifies an operation as its client submitted it: the delta before any
 * transformation and the version it was made at. A resend after a reconnect
 * hashes the same; a reused `(clientId, seq)` carrying another operation does
 * not, and is refused instead of being acknowledged as the old one.
 */
export function submissionHash(baseVersion: number, delta: unknown): string {
  return createHash('sha256')
    .update(`${baseVersion}|${canonical(delta)}`)
    .digest('base64url');
}

/**
 * Identifies a restore as the gateway submitted it: only the version it
 * restores. A retried restore (same fresh clientId, seq 1) hashes the same and
 * is acknowledged with its original version; an operation can never collide
 * with it, because the prefix differs from every `submissionHash` input.
 */
export function restoreSubmissionHash(toVersion: number): string {
  return createHash('sha256').update(`restore|${toVersion}`).digest('base64url');
}
