import { Check, Column, CreateDateColumn, Entity, ForeignKey, PrimaryColumn } from 'typeorm';
import type { StoredDelta } from '../stored-delta';
import { bigintNumberTransformer } from '../version';
import { DocumentEntity } from './document.entity';

/**
 * The content of a document at one version: the composition of operations
 * 1..version (version 0 is the empty document). Written by the snapshot worker.
 *
 * PRIMARY KEY (document_id, version) makes snapshots idempotent under
 * at-least-once job delivery: a snapshot is only ever inserted with
 * ON CONFLICT DO NOTHING (`insertSnapshotIfAbsent`), never updated, so a
 * duplicate or late job cannot replace anything.
 */
@Entity({ name: 'snapshots' })
@Check('chk_snapshots_version', `"version" >= 0`)
@Check('chk_snapshots_delta', `jsonb_typeof("delta") = 'array'`)
export class SnapshotEntity {
  @ForeignKey(() => DocumentEntity, { name: 'fk_snapshots_document_id', onDelete: 'CASCADE' })
  @PrimaryColumn({ name: 'document_id', type: 'uuid', primaryKeyConstraintName: 'pk_snapshots' })
  documentId!: string;

  @PrimaryColumn({
    name: 'version',
    type: 'bigint',
    primaryKeyConstraintName: 'pk_snapshots',
    transformer: bigintNumberTransformer,
  })
  version!: number;

  /** The document's Delta ops array (inserts only). */
  @Column({ name: 'delta', type: 'jsonb' })
  delta!: StoredDelta;

  /** Sanitized HTML rendering, safe to serve as is. */
  @Column({ name: 'html', type: 'text' })
  html!: string;

  /** Plain text, for export and search. */
  @Column({ name: 'text', type: 'text' })
  text!: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}
