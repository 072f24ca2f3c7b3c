/** Why an append to the operation log was refused by the database. */
export const FenceViolationReason = {
  /** Another writer already committed an operation with one of these versions (`pk_operations`). */
  VERSION_TAKEN: 'version-taken',
  /** One of these (client_id, seq) pairs is already in the log (`uq_operations_client_seq`). */
  CLIENT_SEQ_TAKEN: 'client-seq-taken',
  /**
   * `documents.head_version` is not the version just below the batch: someone
   * else moved the head, or the batch would leave a gap.
   */
  HEAD_MOVED: 'head-moved',
} as const;

export type FenceViolationReason = (typeof FenceViolationReason)[keyof typeof FenceViolationReason];

/**
 * An append to the operation log lost to another writer. Nothing of the batch
 * was written.
 *
 * For a doc-service actor this always means the same thing: its in-memory state
 * is not the durable history. It must drop that state, answer the pending
 * submits with `NOT_OWNER` (the gateway re-routes and the client's resend is
 * deduped), and reload from the database if it still owns the document.
 * `reason` is for logs and metrics; `CLIENT_SEQ_TAKEN` also signals an actor that
 * skipped its dedupe check (`findOperationsBySeq`).
 */
export class FenceViolationError extends Error {
  override readonly name = 'FenceViolationError';
  readonly code = 'FENCE_VIOLATION';

  constructor(
    readonly reason: FenceViolationReason,
    readonly documentId: string,
    /** First and last version of the refused batch. */
    readonly versions: { readonly first: number; readonly last: number },
    /** The violated constraint, when PostgreSQL named one. */
    readonly constraint?: string,
    options?: { cause?: unknown },
  ) {
    super(
      `append of versions ${versions.first}..${versions.last} to document ${documentId} refused: ${reason}` +
        (constraint ? ` (${constraint})` : ''),
      options,
    );
  }
}

/**
 * An append to the operation log of a document that does not exist (never
 * created, or removed from the database). Not a lost race: re-routing cannot
 * help, so it is not a {@link FenceViolationError}. Nothing was written.
 */
export class MissingDocumentError extends Error {
  override readonly name = 'MissingDocumentError';
  readonly code = 'MISSING_DOCUMENT';

  constructor(readonly documentId: string) {
    super(`document ${documentId} does not exist`);
  }
}
