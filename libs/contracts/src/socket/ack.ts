import { z } from 'zod';
import { WireError } from '../errors/wire-error';

/**
 * The answer to a client event, passed to its Socket.IO acknowledgement
 * callback: the result's fields next to `ok: true`, or `ok: false` and a
 * wire error. A request that gets no ack in time has an unknown outcome; an
 * operation may be resent as it is (same `clientId` and `seq`).
 */
export type Ack<T extends object> = ({ ok: true } & T) | AckError;

/** A refused request. */
export type AckError = { ok: false; error: WireError };

/** Schema of a refused request. */
export const AckError = z.object({ ok: z.literal(false), error: WireError });

/** Builds the schema of `Ack<T>` from the schema of the result's fields. */
export function ackSchema<Shape extends z.ZodRawShape>(result: z.ZodObject<Shape>) {
  return z.discriminatedUnion('ok', [result.extend({ ok: z.literal(true) }), AckError]);
}
