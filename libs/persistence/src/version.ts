import type { ValueTransformer } from 'typeorm';

/**
 * Reads a PostgreSQL `bigint` (which node-postgres returns as a string, so that
 * no precision is lost silently) as a JavaScript number.
 *
 * Versions are stored as `bigint` so the schema never needs widening, and read
 * as numbers because every consumer (OT, wire protocol, BullMQ job ids) does
 * arithmetic on them. A version above `Number.MAX_SAFE_INTEGER` (2^53 - 1, about
 * 9e15 operations on one document) cannot happen in practice; if it ever did,
 * this throws instead of rounding, because a rounded version would corrupt the
 * fence and the catch-up protocol.
 *
 * @throws RangeError when the value is not a safe integer.
 */
export function bigintToNumber(value: string | number | bigint): number {
  const n = typeof value === 'number' ? value : Number(value);
  if (!Number.isSafeInteger(n)) {
    throw new RangeError(`bigint value ${String(value)} is not a safe integer`);
  }
  return n;
}

/**
 * TypeORM column transformer for `bigint` columns that hold versions and counters.
 * Writes numbers unchanged; reads strings back as safe integers (see {@link bigintToNumber}).
 */
export const bigintNumberTransformer: ValueTransformer = {
  to: (value: number | null | undefined) => value,
  from: (value: string | number | null | undefined) =>
    value === null || value === undefined ? value : bigintToNumber(value),
};
