/**
 * One Quill Delta operation as stored in a `jsonb` column. Structurally equal to
 * quill-delta's `Op`, declared here so that persistence does not depend on the
 * OT library.
 */
export interface StoredDeltaOp {
  insert?: string | Record<string, unknown>;
  delete?: number;
  retain?: number | Record<string, unknown>;
  attributes?: Record<string, unknown>;
}

/**
 * A Delta as stored: the bare ops array (`delta.ops`), not the `{ ops }` wrapper.
 *
 * jsonb keeps the values exactly (strings, including astral characters, and
 * numbers) but not the order of object keys, nor duplicate keys. Compare stored
 * deltas structurally, never as JSON text. jsonb also rejects the string
 * "\u0000" and lone surrogates; libs/ot validation refuses both before an
 * operation reaches the database.
 */
export type StoredDelta = StoredDeltaOp[];
