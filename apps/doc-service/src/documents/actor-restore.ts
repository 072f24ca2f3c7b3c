import { AppError } from '@collab/contracts';
import { type OpLimits, type ChunkedDocument, validateOp } from '@collab/ot';
import Delta from 'quill-delta';
import type { DocumentStorePort } from './actor-ports';

/**
 * A restore of version `toVersion`, authorised by the gateway (the user may
 * edit). `(clientId, seq)` is fresh per restore action, so a retried restore
 * dedupes like a resent operation.
 */
export interface RestoreSubmission {
  readonly userId: string;
  readonly clientId: string;
  readonly seq: number;
  readonly toVersion: number;
  readonly correlationId?: string;
}

/** The actor's state a restore is computed against: its document at head, durable up to head. */
export interface RestoreBase {
  readonly docId: string;
  readonly doc: ChunkedDocument;
  /** The actor's head version, at or above the version restored (the actor refuses one past it first). */
  readonly version: number;
  readonly store: DocumentStorePort;
  readonly limits?: Partial<OpLimits>;
}

/**
 * The operation that turns the document at head into its content at
 * `toVersion` (quill-delta's document diff), validated like any operation
 * (a restore is subject to the same size limits); undefined when the two
 * are equal. The old content comes from PostgreSQL (nearest snapshot plus
 * the operations after it), which holds everything up to head because the
 * actor commits what is staged before a restore (DocumentActor runBatches).
 */
export async function restoreDiff(base: RestoreBase, toVersion: number): Promise<Delta | undefined> {
  if (toVersion === base.version) return undefined;
  const target = new Delta(await base.store.contentAt(base.docId, toVersion));
  const diff = base.doc.toDelta().diff(target);
  if (diff.ops.length === 0) return undefined;
  const checked = validateOp(diff, base.doc, base.limits);
  if (!checked.ok) throw new AppError(checked.code, checked.message);
  return checked.value;
}
