import type { EntityManager } from 'typeorm';
import { FenceViolationError, FenceViolationReason, MissingDocumentError } from '../errors';
import { execute, PgErrorCode, pgErrorFields } from '../sql';
import type { StoredDelta } from '../stored-delta';
import { bigintToNumber } from '../version';

/** An operation to append to a document's log. */
export interface NewOperation {
  readonly documentId: string;
  /** The version this operation creates: it applies to version - 1. The first operation is version 1. */
  readonly version: number;
  /** The Delta's ops array, already validated (libs/ot). */
  readonly delta: StoredDelta;
  readonly userId: string;
  readonly clientId: string;
  readonly seq: number;
  /** Hash of the operation as submitted (before transformation), to tell a resend from a reused seq. */
  readonly submissionHash: string;
  /** Set when this operation restored an older version: that version (below this one). */
  readonly restoredFrom?: number | null;
}

/** An operation as read back from the log. */
export interface StoredOperation extends NewOperation {
  readonly createdAt: Date;
}

interface OperationRow {
  document_id: string;
  version: string;
  delta: StoredDelta;
  user_id: string;
  client_id: string;
  seq: string;
  submission_hash: string;
  restored_from: string | null;
  created_at: Date;
}

const OPERATION_COLUMNS =
  'document_id, version, delta, user_id, client_id, seq, submission_hash, restored_from, created_at';

function toStoredOperation(row: OperationRow): StoredOperation {
  return {
    documentId: row.document_id,
    version: bigintToNumber(row.version),
    delta: row.delta,
    userId: row.user_id,
    clientId: row.client_id,
    seq: bigintToNumber(row.seq),
    submissionHash: row.submission_hash,
    restoredFrom: row.restored_from === null ? null : bigintToNumber(row.restored_from),
    createdAt: row.created_at,
  };
}

function assertSafeInteger(name: string, value: number, min: number): void {
  if (!Number.isSafeInteger(value) || value < min) {
    throw new RangeError(`${name} must be an integer >= ${min}, got ${value}`);
  }
}

/**
 * The rows as the column arrays the inserts expand with `unnest`: version,
 * delta, user_id, client_id, seq, submission_hash, restored_from.
 */
export function columnsOf(rows: readonly NewOperation[]): unknown[][] {
  return [
    rows.map((r) => r.version),
    // Serialized here: node-postgres would turn a nested JS array into a SQL array.
    rows.map((r) => JSON.stringify(r.delta)),
    rows.map((r) => r.userId),
    rows.map((r) => r.clientId),
    rows.map((r) => r.seq),
    rows.map((r) => r.submissionHash),
    rows.map((r) => r.restoredFrom ?? null),
  ];
}

/** A batch must be one document's next versions, in order, without gaps (shared with the grouped insert). */
export function checkBatch(rows: readonly NewOperation[]): {
  documentId: string;
  first: number;
  last: number;
} {
  if (rows.length === 0) throw new RangeError('insertOperations needs at least one operation');
  const { documentId, version: first } = rows[0];
  assertSafeInteger('version', first, 1);
  rows.forEach((row, i) => {
    if (row.documentId !== documentId) {
      throw new RangeError('insertOperations takes operations of one document per call');
    }
    if (row.version !== first + i) {
      throw new RangeError(`versions must be consecutive: expected ${first + i}, got ${row.version}`);
    }
    assertSafeInteger('seq', row.seq, 0);
    if (row.restoredFrom !== undefined && row.restoredFrom !== null) {
      assertSafeInteger('restoredFrom', row.restoredFrom, 0);
      if (row.restoredFrom >= row.version) throw new RangeError('restoredFrom must be below the version');
    }
  });
  return { documentId, first, last: first + rows.length - 1 };
}

/**
 * Appends one group commit to a document's operation log and moves
 * `documents.head_version` to its last version, atomically.
 *
 * One multi-row INSERT per group commit: the operations that queued up while the
 * previous write was in flight cost one statement and one commit (one WAL flush)
 * together, which is what lets a busy document keep up. The rows are passed as
 * arrays and expanded by `unnest`, so the statement text and its parameter count
 * do not grow with the batch.
 *
 * Two writers of the same version are fenced by the primary key (see
 * OperationEntity) and by the head update, which checks `head_version = first - 1`
 * (that also refuses a batch that would leave a gap).
 *
 * One statement in autocommit (one round trip, one WAL flush), or in a savepoint
 * when `manager` is already in a transaction, so a refused batch never leaves
 * partial writes behind.
 *
 * @param manager `dataSource.manager`, or a transaction's manager.
 * @param rows One document's operations with consecutive versions, oldest first.
 * @returns The document's new head version (the last row's version).
 * @throws FenceViolationError when another writer holds one of the versions or
 *   (client_id, seq) pairs (unique violation 23505), or the head is not just below
 *   the batch. Nothing was written; the actor must drop its state and reload.
 * @throws RangeError for a malformed batch (empty, several documents, gaps); nothing was sent.
 * @throws MissingDocumentError when the document does not exist.
 * @throws QueryFailedError (rethrown as is) for every other failure: connection
 *   loss, a delta PostgreSQL refuses. Whether
 *   it committed is unknown only for a lost connection at commit time; the
 *   actor discards its in-memory state past the last durable version either way.
 */
export async function insertOperations(
  manager: EntityManager,
  rows: readonly NewOperation[],
): Promise<{ headVersion: number }> {
  const { documentId, first, last } = checkBatch(rows);
  const write = async (m: EntityManager) => {
    const { rows: result } = await execute<{ moved: number; present: number }>(
      m,
      // One statement, so one round trip and one commit: the head moves only
      // from first - 1, and the rows go in only if it did (the INSERT reads
      // the UPDATE's RETURNING, so it cannot run before it). A concurrent
      // writer of the same versions either holds the documents row (this
      // UPDATE waits, then finds the head moved: no rows, HEAD_MOVED) or the
      // primary key (unique violation: VERSION_TAKEN). Either way nothing of
      // this batch is written.
      `WITH head AS (
         UPDATE documents SET head_version = $9, updated_at = now()
         WHERE id = $1 AND head_version = $10
         RETURNING id
       ), ins AS (
         INSERT INTO operations (document_id, version, delta, user_id, client_id, seq, submission_hash, restored_from)
         SELECT $1::uuid, v.version, v.delta, v.user_id, v.client_id, v.seq, v.submission_hash, v.restored_from
         FROM unnest($2::bigint[], $3::jsonb[], $4::uuid[], $5::text[], $6::bigint[], $7::text[], $8::bigint[])
           AS v(version, delta, user_id, client_id, seq, submission_hash, restored_from)
         WHERE EXISTS (SELECT 1 FROM head)
         RETURNING 1
       )
       SELECT (SELECT count(*) FROM head)::int AS moved,
              (SELECT count(*) FROM documents WHERE id = $1)::int AS present`,
      [documentId, ...columnsOf(rows), last, first - 1],
    );
    if (result[0]?.present === 0) throw new MissingDocumentError(documentId);
    if (result[0]?.moved !== 1) {
      throw new FenceViolationError(FenceViolationReason.HEAD_MOVED, documentId, { first, last });
    }
  };
  try {
    // Inside a caller's transaction, a savepoint keeps a refused batch from
    // aborting it; on its own the statement is atomic already.
    if (manager.queryRunner?.isTransactionActive) await manager.transaction(write);
    else await write(manager);
  } catch (error) {
    const { code, constraint } = pgErrorFields(error);
    if (code === PgErrorCode.UNIQUE_VIOLATION) {
      const reason =
        constraint === 'uq_operations_client_seq'
          ? FenceViolationReason.CLIENT_SEQ_TAKEN
          : FenceViolationReason.VERSION_TAKEN;
      throw new FenceViolationError(reason, documentId, { first, last }, constraint, { cause: error });
    }
    throw error;
  }
  return { headVersion: last };
}

/**
 * Reads a page of a document's operations with versions above `afterVersion`,
 * oldest first (a range scan of the primary key). For catch-up and for loading an
 * actor from a snapshot: call again with the last version read until a page comes
 * back shorter than `limit`.
 *
 * @param afterVersion The version the reader already has (0 for everything).
 * @param limit Page size, at least 1.
 */
export async function loadOperationsAfter(
  manager: EntityManager,
  documentId: string,
  afterVersion: number,
  limit: number,
): Promise<StoredOperation[]> {
  assertSafeInteger('afterVersion', afterVersion, 0);
  if (!Number.isSafeInteger(limit) || limit < 1) throw new RangeError(`limit must be >= 1, got ${limit}`);
  const rows: OperationRow[] = await manager.query(
    `SELECT ${OPERATION_COLUMNS} FROM operations
     WHERE document_id = $1 AND version > $2
     ORDER BY version
     LIMIT $3`,
    [documentId, afterVersion, limit],
  );
  return rows.map(toStoredOperation);
}

/** One dedupe lookup: the operation a client sent under this sequence number in a document. */
export interface SeqKey {
  readonly documentId: string;
  readonly userId: string;
  readonly clientId: string;
  readonly seq: number;
}

/**
 * Finds the operations clients submitted as `(clientId, seq)`, if they were
 * ever committed. This is the dedupe that holds across restarts and owner
 * changes: a resent operation (same submission hash) is acknowledged again with
 * the stored version, never applied twice; another hash means a reused seq.
 *
 * Several lookups go in one query (each an index probe of
 * `uq_operations_client_seq`): when an owner starts serving a document
 * (a restart, a failover), every client's first operation needs one, and
 * thousands of them at once one query each would queue behind each other
 * for the pool.
 *
 * @returns For each key, in order, the stored operation or null.
 */
export async function findOperationsBySeq(
  manager: EntityManager,
  keys: readonly SeqKey[],
): Promise<(StoredOperation | null)[]> {
  if (keys.length === 0) return [];
  const rows: (OperationRow & { n: number })[] = await manager.query(
    `SELECT ${OPERATION_COLUMNS.split(', ')
      .map((c) => `o.${c}`)
      .join(', ')}, k.n::int AS n
     FROM unnest($1::uuid[], $2::uuid[], $3::text[], $4::bigint[]) WITH ORDINALITY AS k(document_id, user_id, client_id, seq, n)
     JOIN operations o ON o.document_id = k.document_id AND o.user_id = k.user_id
                      AND o.client_id = k.client_id AND o.seq = k.seq`,
    [
      keys.map((k) => k.documentId),
      keys.map((k) => k.userId),
      keys.map((k) => k.clientId),
      keys.map((k) => k.seq),
    ],
  );
  const found: (StoredOperation | null)[] = keys.map(() => null);
  for (const row of rows) found[row.n - 1] = toStoredOperation(row);
  return found;
}

/**
 * The version of a document's newest operation (0 when it has none), or null
 * when the document does not exist. Soft-deleted documents still have a head.
 */
export async function headVersion(manager: EntityManager, documentId: string): Promise<number | null> {
  const rows: { head_version: string }[] = await manager.query(
    `SELECT head_version FROM documents WHERE id = $1`,
    [documentId],
  );
  return rows.length > 0 ? bigintToNumber(rows[0].head_version) : null;
}
