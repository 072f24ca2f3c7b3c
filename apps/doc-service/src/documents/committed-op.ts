import { type CommittedOp } from '@collab/contracts';
import type { NewOperation } from '@collab/persistence';

/**
 * A row of the operation log (staged by an actor, or read back) as the wire
 * names a committed operation: what a broadcast and a catch-up carry. The one
 * place this mapping is written, so both always send the same fields.
 *
 * @param docId the document's id as the caller names it (its room, the
 *   request), not the row's: PostgreSQL hands a uuid back in lowercase.
 */
export function toCommittedOp(
  docId: string,
  row: Pick<NewOperation, 'version' | 'delta' | 'userId' | 'clientId' | 'seq'>,
): CommittedOp {
  return {
    docId,
    version: row.version,
    // The stored ops type is declared without quill-delta; the ops were validated before they were stored.
    delta: row.delta as CommittedOp['delta'],
    clientId: row.clientId,
    seq: row.seq,
    userId: row.userId,
  };
}
