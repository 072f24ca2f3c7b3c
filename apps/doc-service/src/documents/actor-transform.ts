import { AppError, ErrorCode } from '@collab/contracts';
import {
  type OperationWindow,
  type OpLimits,
  parseOp,
  type ChunkedDocument,
  transformAgainstHistory,
  validateOp,
} from '@collab/ot';
import type Delta from 'quill-delta';
import type { WindowEntry } from './actor-dedupe';
import type { DocumentStorePort } from './actor-ports';
import { changesNothing } from './changes-nothing';

/** The actor's state an operation is transformed against: its document at head and its window. */
export interface TransformBase {
  readonly docId: string;
  readonly doc: ChunkedDocument;
  readonly window: OperationWindow<WindowEntry>;
  readonly store: DocumentStorePort;
  readonly limits?: Partial<OpLimits>;
}

/**
 * An operation transformed from its base version to head and validated
 * against the document. The base is at most the actor's head (the actor
 * refuses one past it first).
 */
export async function transformToHead(
  base: TransformBase,
  baseVersion: number,
  delta: unknown,
): Promise<Delta> {
  const parsed = parseOp(delta, base.limits);
  if (!parsed.ok) throw new AppError(parsed.code, parsed.message);
  const concurrent = await concurrentSince(base, baseVersion);
  const transformed = transformAgainstHistory(parsed.value, concurrent);
  const checked = validateOp(transformed, base.doc, base.limits);
  if (!checked.ok) throw new AppError(checked.code, checked.message);
  if (changesNothing(checked.value, base.doc)) {
    // Refused, not acknowledged: an acknowledgement names the version its
    // operation committed as, and the SDK applies acknowledgements strictly
    // in version order, taking that version for its own operation (OtClient
    // acknowledge): answering the head would make it skip someone else's
    // operation at that version, or wait for ever when it is at the head.
    // A final refusal is dropped by the SDK and its buffer rebased, which
    // for an operation that changes nothing loses nothing. No row, no
    // version, and no dedupe record: like every refusal, a resend is judged
    // again from the same base, and is refused again unless later history
    // gave it something to change (formatting text someone has since
    // unformatted), when it commits once, as any first send would.
    throw new AppError(ErrorCode.OP_CHANGES_NOTHING, 'the operation changes nothing; nothing was committed');
  }
  return checked.value;
}

/** The committed operations after `baseVersion`, from the window or PostgreSQL. */
async function concurrentSince(base: TransformBase, baseVersion: number): Promise<readonly Delta[]> {
  const { window } = base;
  const fromWindow = window.since(baseVersion);
  if (fromWindow.ok) return fromWindow.value;
  // Older than the window: read the gap from the log. Everything the window
  // does not hold is durable (the window holds at least the staged ops).
  const oldest = window.oldestBaseVersion;
  const older = await base.store.opsBetween(base.docId, baseVersion, oldest);
  if (older.length !== oldest - baseVersion) {
    throw new AppError(ErrorCode.VERSION_TOO_OLD, `history after version ${baseVersion} is not available`);
  }
  const rest = window.since(oldest);
  return [...older.map((o) => o.op), ...(rest.ok ? rest.value : [])];
}
