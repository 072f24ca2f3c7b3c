import type { CommittedOp, JoinResult, WireError } from '@collab/contracts';
import type { OtClient, PendingState } from '@collab/ot';
import Delta from 'quill-delta';
import { isRetryable } from './client-retry';
import type { RequestResult } from './transport/transport';

/** Operations not yet acknowledged, restored from an outbox (e.g. IndexedDB). */
export interface RestoredPending {
  readonly version: number;
  readonly nextSeq: number;
  readonly state: PendingState;
}

/** The document an outbox restore rebuilt: the server's, and the local one with the pending edits on top. */
export interface RestoredDocument {
  readonly server: Delta;
  readonly serverVersion: number;
  readonly local: Delta;
}

/**
 * Rebuilds the document of an outbox made at `restored.version`, given a
 * join at a later head. Content at the outbox's version is not available
 * (head content with later operations undone); instead the log is read from
 * the outbox's version and the pending edits, in `ot` (started at that
 * version), are rebased through it: the local document is head content
 * composed with the rebased pending edits.
 *
 * Every page must be read, each retried like a catch-up (`readPage`): the
 * OT client must not move unless the content moves with it, or the next
 * drain would apply the same operations a second time. Nothing is changed
 * unless the whole log was read: then `ot` has received it. Otherwise the
 * refusal is returned (`retryable` when the next join should try again).
 */
export async function restoreFromOutbox(
  ot: OtClient,
  restored: RestoredPending,
  joined: JoinResult,
  readPage: (fromVersion: number) => Promise<RequestResult<'catchup'>>,
): Promise<{ ok: true; document: RestoredDocument } | { ok: false; error: WireError; retryable: boolean }> {
  const ops: CommittedOp[] = [];
  let from = restored.version;
  while (from < joined.version) {
    const page = await readPage(from);
    if (!page.ok) return { ok: false, error: page.error, retryable: isRetryable(page.error) };
    ops.push(...page.value.ops);
    if (page.value.ops.length === 0) break;
    from = page.value.ops[page.value.ops.length - 1].version;
  }
  for (const op of ops) ot.receive(toServerOp(op));
  let server = new Delta(joined.content as Delta['ops']);
  // Catch-up may pass join's version; those operations are in `ops` and in the
  // server content only up to joined.version, so apply the extra ones.
  for (const op of ops)
    if (op.version > joined.version) server = server.compose(new Delta(op.delta as Delta['ops']));
  const pending = ot.snapshot().pending;
  let local = server;
  if (pending) {
    local = local.compose(pending.rebased);
    if (pending.buffer) local = local.compose(pending.buffer);
  }
  return { ok: true, document: { server, serverVersion: ot.version, local } };
}

/** A committed operation as the OT client's state machine reads it. */
export function toServerOp(op: CommittedOp) {
  return {
    version: op.version,
    clientId: op.clientId,
    seq: op.seq,
    delta: { ops: op.delta as Delta['ops'] },
  };
}
