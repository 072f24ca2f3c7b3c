import { insertOperations, type NewOperation } from '@collab/persistence';
import type Delta from 'quill-delta';
import type { EntityManager } from 'typeorm';

/**
 * Version `version` of `documentId` as the doc-service stores it: the
 * submitter's seq equals the version (one submitter per client id in these
 * tests) and every version has its own submission hash.
 */
export function operationRow(
  documentId: string,
  version: number,
  op: Delta,
  userId: string,
  clientId: string,
): NewOperation {
  return {
    documentId,
    version,
    delta: op.ops as NewOperation['delta'],
    userId,
    clientId,
    seq: version,
    submissionHash: `h${version}`,
  };
}

/** Stores `rows`, 100 to a statement (a long log in one INSERT would pass PostgreSQL's parameter limit). */
export async function insertInBatches(manager: EntityManager, rows: NewOperation[]): Promise<void> {
  for (let i = 0; i < rows.length; i += 100) await insertOperations(manager, rows.slice(i, i + 100));
}
