import Delta, { type Op } from 'quill-delta';
import type { DeltaLike, OutgoingOp, StoredOp } from './ot-client.types';

// The copies OtClient keeps and hands out: exact, canonical (to compare with
// what the server committed), and frozen (a sent operation never changes, so
// that a resend is byte-identical to the first send).

/** A deep copy of plain JSON data (the ops of a Delta). */
function copyJson<T>(value: T): T {
  if (Array.isArray(value)) return value.map(copyJson) as T;
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = copyJson(v);
    return out as T;
  }
  return value;
}

/** An exact deep copy. */
export function copyDelta(delta: DeltaLike): Delta {
  return new Delta(copyJson(delta.ops) as Op[]);
}

function isEmptyOp(op: Op): boolean {
  return op.insert === '' || op.retain === 0 || op.delete === 0;
}

/**
 * A deep copy in quill-delta's canonical form (adjacent ops merged, inserts
 * before deletes, no trailing plain retain), the form the server's compose
 * and transform produce, so that deltas can be compared op by op.
 */
export function normalizedDelta(delta: DeltaLike): Delta {
  const out = new Delta();
  for (const op of delta.ops) if (!isEmptyOp(op)) out.push(op); // push deep-copies
  return out.chop();
}

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    for (const v of Object.values(value)) deepFreeze(v);
    Object.freeze(value);
  }
  return value;
}

/** A frozen copy: nothing, including quill-delta, can change a sent op afterwards. */
export function freezeOp(op: StoredOp): OutgoingOp {
  const copy = {
    clientId: op.clientId,
    seq: op.seq,
    baseVersion: op.baseVersion,
    delta: copyDelta(op.delta),
  };
  return deepFreeze(copy);
}

/** Structural equality of JSON values, ignoring key order (jsonb reorders keys). */
function sameJson(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  if (ka.length !== kb.length) return false;
  const ra = a as Record<string, unknown>;
  const rb = b as Record<string, unknown>;
  return ka.every((k) => Object.prototype.hasOwnProperty.call(rb, k) && sameJson(ra[k], rb[k]));
}

export function sameOps(a: readonly Op[], b: readonly Op[]): boolean {
  return sameJson(a, b);
}
