import type { EntityManager } from 'typeorm';
import { FenceViolationError, FenceViolationReason, MissingDocumentError } from '../errors';
import { execute, pgErrorFields } from '../sql';
import { checkBatch, columnsOf, insertOperations, type NewOperation } from './operation.repository';

/** What became of one document's batch in a grouped insert: null when it committed. */
export type GroupOutcome = FenceViolationError | MissingDocumentError | Error | null;

/**
 * Appends the group commits of several documents in one statement (one round
 * trip, one transaction, one WAL flush), each document's batch with the same
 * guarantees as insertOperations: its rows go in, and its head moves to its
 * last version, only if the head was just below its first version; a refused
 * document writes nothing, and its refusal does not stop the others.
 *
 * A doc-service commits each document one batch at a time; when many
 * documents commit at once (many small commits, each one or two operations),
 * the fixed cost of a statement and a commit is most of PostgreSQL's work,
 * and sharing it is what lets the log keep up.
 *
 * When PostgreSQL refuses the statement as a whole (a unique violation:
 * another writer holds a (client_id, seq) one batch reuses; a deadlock with
 * another instance's statement during a hand-over; a value it cannot store),
 * it does not say which document caused it, so each batch is then written
 * again on its own with insertOperations and gets its own outcome. A failed
 * connection fails every batch with its error: whether the statement
 * committed is then unknown, and each actor reloads from what is durable (a
 * batch that did commit is found there, never written twice).
 *
 * @param batches Each one document's operations with consecutive versions,
 *   oldest first; one batch per document.
 * @returns The outcome of each batch, in the order given.
 * @throws RangeError for a malformed batch or a document given twice; nothing was sent.
 */
export async function insertOperationGroups(
  manager: EntityManager,
  batches: readonly (readonly NewOperation[])[],
): Promise<GroupOutcome[]> {
  const checked = batches.map(checkBatch);
  const ids = new Set(checked.map((c) => c.documentId));
  if (ids.size !== checked.length) throw new RangeError('insertOperationGroups takes one batch per document');
  if (batches.length === 1) return [await outcomeOf(() => insertOperations(manager, batches[0]))];
  if (batches.length === 0) return [];
  // Rows locked in one order by every writer: two instances' grouped
  // statements (only during a hand-over do they share documents) rarely deadlock.
  const order = checked
    .map((_, i) => i)
    .sort((a, b) => (checked[a].documentId < checked[b].documentId ? -1 : 1));
  const rows = order.flatMap((i) => batches[i]);
  let result: { n: number; moved: boolean; present: boolean }[];
  try {
    ({ rows: result } = await execute<{ n: number; moved: boolean; present: boolean }>(
      manager,
      // As in insertOperations: every head moves only from first - 1, and a
      // document's rows go in only if its head moved (the INSERT reads the
      // UPDATE's RETURNING). A concurrent writer of the same document holds
      // its row (this UPDATE waits, then finds the head moved) or a primary
      // key (a unique violation: the fallback below sorts it out).
      `WITH batch AS (
         SELECT * FROM unnest($1::uuid[], $2::bigint[], $3::bigint[]) WITH ORDINALITY AS b(document_id, expected, last, n)
       ), head AS (
         UPDATE documents d SET head_version = b.last, updated_at = now()
         FROM batch b
         WHERE d.id = b.document_id AND d.head_version = b.expected
         RETURNING d.id
       ), ins AS (
         INSERT INTO operations (document_id, version, delta, user_id, client_id, seq, submission_hash, restored_from)
         SELECT v.document_id, v.version, v.delta, v.user_id, v.client_id, v.seq, v.submission_hash, v.restored_from
         FROM unnest($4::uuid[], $5::bigint[], $6::jsonb[], $7::uuid[], $8::text[], $9::bigint[], $10::text[], $11::bigint[])
           AS v(document_id, version, delta, user_id, client_id, seq, submission_hash, restored_from)
         WHERE v.document_id IN (SELECT id FROM head)
         RETURNING 1
       )
       SELECT b.n::int AS n,
              EXISTS (SELECT 1 FROM head h WHERE h.id = b.document_id) AS moved,
              EXISTS (SELECT 1 FROM documents d WHERE d.id = b.document_id) AS present
       FROM batch b`,
      [
        order.map((i) => checked[i].documentId),
        order.map((i) => checked[i].first - 1),
        order.map((i) => checked[i].last),
        rows.map((r) => r.documentId),
        ...columnsOf(rows),
      ],
    ));
  } catch (error) {
    // No SQLSTATE: the connection failed (PostgreSQL down or restarting), and
    // would fail each batch again, one timeout after another. Every batch
    // gets the failure (its actor reloads from what is durable).
    if (pgErrorFields(error).code === undefined) {
      const failure = error instanceof Error ? error : new Error(String(error));
      return batches.map(() => failure);
    }
    // PostgreSQL refused the statement, but not which batch made it do so:
    // each goes again alone, for its own outcome.
    const outcomes: GroupOutcome[] = [];
    for (const batch of batches) outcomes.push(await outcomeOf(() => insertOperations(manager, batch)));
    return outcomes;
  }
  // n is the position in `order` (1-based): the batch the row answers for.
  const byBatch = new Map(result.map((r) => [order[r.n - 1], r]));
  return checked.map(({ documentId, first, last }, i) => {
    const row = byBatch.get(i);
    if (row?.present === false) return new MissingDocumentError(documentId);
    if (row?.moved !== true) {
      return new FenceViolationError(FenceViolationReason.HEAD_MOVED, documentId, { first, last });
    }
    return null;
  });
}

async function outcomeOf(write: () => Promise<unknown>): Promise<GroupOutcome> {
  try {
    await write();
    return null;
  } catch (error) {
    return error instanceof Error ? error : new Error(String(error));
  }
}
