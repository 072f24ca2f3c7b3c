import { Check, Column, CreateDateColumn, Entity, ForeignKey, Index, PrimaryColumn, Unique } from 'typeorm';
import type { StoredDelta } from '../stored-delta';
import { bigintNumberTransformer } from '../version';
import { DocumentEntity } from './document.entity';

/**
 * The append-only operation log of every document.
 *
 * Version numbering: the operation with `version = v` takes the document from
 * version v-1 to version v. The first operation of a document is version 1, and
 * `documents.head_version` is the version of the newest one.
 *
 * Two keys carry the correctness of the real-time path:
 * - PRIMARY KEY (document_id, version) is the fence. Exactly one row can exist per
 *   version, so if two doc-service instances ever both believe they own a document
 *   (ring churn, a paused process), the second INSERT of a version fails instead
 *   of forking history, and that instance drops its state and reloads.
 * - UNIQUE (document_id, user_id, client_id, seq) is the dedupe record. It lives
 *   with the operation, in the same row and transaction, so "this (clientId, seq)
 *   was applied, as version v" survives restarts and owner changes. It is scoped
 *   to the user: clientIds are visible to everyone in a document's room, and a
 *   user who replayed someone else's (clientId, seq) must not be able to make
 *   that person's real operation look like a duplicate.
 * - submission_hash identifies the operation as the client submitted it (before
 *   transformation: delta and base version). A resend carries the same hash and
 *   is acknowledged again; the same (clientId, seq) with another hash is a
 *   reused seq and is refused. The stored delta cannot serve for this, because it
 *   was transformed.
 *
 * `user_id` has no foreign key on purpose: every insert would lock the author's
 * `users` row (FOR KEY SHARE), and one person typing into many documents at once
 * would make those locks contend on the hot path. It is attribution, checked by
 * the gateway before the operation gets here.
 *
 * `version` and `seq` are `bigint`, read as numbers: the wire schemas allow any
 * safe integer, so no valid operation can overflow a column.
 *
 * `restored_from` is set only on an operation that restored an older version
 * (see the OperationRestoredFrom migration); a partial index lists those.
 */
@Entity({ name: 'operations' })
@Unique('uq_operations_client_seq', ['documentId', 'userId', 'clientId', 'seq'])
@Check('chk_operations_version', `"version" >= 1`)
@Check('chk_operations_seq', `"seq" >= 0`)
@Check('chk_operations_delta', `jsonb_typeof("delta") = 'array'`)
@Check(
  'chk_operations_restored_from',
  `"restored_from" IS NULL OR ("restored_from" >= 0 AND "restored_from" < "version")`,
)
@Index('idx_operations_restores', ['documentId', 'version'], { where: `"restored_from" IS NOT NULL` })
export class OperationEntity {
  @ForeignKey(() => DocumentEntity, { name: 'fk_operations_document_id', onDelete: 'CASCADE' })
  @PrimaryColumn({ name: 'document_id', type: 'uuid', primaryKeyConstraintName: 'pk_operations' })
  documentId!: string;

  @PrimaryColumn({
    name: 'version',
    type: 'bigint',
    primaryKeyConstraintName: 'pk_operations',
    transformer: bigintNumberTransformer,
  })
  version!: number;

  /** The Delta's ops array. */
  @Column({ name: 'delta', type: 'jsonb' })
  delta!: StoredDelta;

  @Column({ name: 'user_id', type: 'uuid' })
  userId!: string;

  @Column({ name: 'client_id', type: 'text' })
  clientId!: string;

  @Column({ name: 'seq', type: 'bigint', transformer: bigintNumberTransformer })
  seq!: number;

  /** Hash of the operation as submitted (delta and base version); see the class comment. */
  @Column({ name: 'submission_hash', type: 'text' })
  submissionHash!: string;

  /** The version this operation restored, or null for an ordinary edit. */
  @Column({ name: 'restored_from', type: 'bigint', nullable: true, transformer: bigintNumberTransformer })
  restoredFrom!: number | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}
