import { z } from 'zod';
import { ErrorCode } from '../errors/error-codes';
import { wireError, type WireError } from '../errors/wire-error';
import { parse, parseJson, type ParseResult } from '../parse';

/**
 * Messages between our services over Redis travel alone (one JSON object) or
 * several to one channel in one publish (a JSON array of them): under load,
 * a gateway's requests to one owner and an owner's replies to one gateway,
 * gathered in one turn of the event loop, so that each costs a share of one
 * Redis command rather than a command of its own.
 */
export const MAX_SERVICE_BATCH_ITEMS = 512;
/** A batch's JSON stays under this many UTF-16 units; a larger message travels alone. */
export const MAX_SERVICE_BATCH_LENGTH = 1_048_576;

/**
 * Where batches to `channel` are published. A batch has a channel of its own
 * so that an instance of an older version, which reads only single messages
 * and subscribes only to `channel`, is found out by the publish reaching
 * nobody: the sender then sends each message of the batch alone on `channel`.
 * A rolling upgrade therefore never sends a batch to anyone who cannot read it.
 */
export function batchChannelOf(channel: string): string {
  return `${channel}:batch`;
}

/**
 * Parses a Redis message holding one service message or a batch of them, and
 * validates each with `schema` on its own: one malformed element is refused
 * alone, the others stand. Text that is not JSON, too large, or an empty or
 * oversized array is refused as a whole. Never throws.
 */
export function parseServiceMessages<S extends z.ZodType>(
  schema: S,
  text: unknown,
): { ok: true; items: ParseResult<z.output<S>>[] } | { ok: false; error: WireError } {
  const json = parseJson(z.unknown(), text);
  if (!json.ok) return json;
  const value = json.value;
  if (!Array.isArray(value)) return { ok: true, items: [parse(schema, value)] };
  if (value.length === 0 || value.length > MAX_SERVICE_BATCH_ITEMS) {
    return {
      ok: false,
      error: wireError(
        ErrorCode.BAD_REQUEST,
        `A batch holds 1 to ${MAX_SERVICE_BATCH_ITEMS} messages, not ${value.length}.`,
      ),
    };
  }
  return { ok: true, items: value.map((item: unknown) => parse(schema, item)) };
}
