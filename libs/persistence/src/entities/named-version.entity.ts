import { Check, Column, CreateDateColumn, Entity, ForeignKey, PrimaryColumn } from 'typeorm';
import { bigintNumberTransformer } from '../version';
import { DocumentEntity } from './document.entity';
import { UserEntity } from './user.entity';

/** A name a person gave to one version of a document's history. */
@Entity({ name: 'named_versions' })
@Check('chk_named_versions_version', `"version" >= 0`)
export class NamedVersionEntity {
  @ForeignKey(() => DocumentEntity, { name: 'fk_named_versions_document_id', onDelete: 'CASCADE' })
  @PrimaryColumn({ name: 'document_id', type: 'uuid', primaryKeyConstraintName: 'pk_named_versions' })
  documentId!: string;

  @PrimaryColumn({
    name: 'version',
    type: 'bigint',
    primaryKeyConstraintName: 'pk_named_versions',
    transformer: bigintNumberTransformer,
  })
  version!: number;

  @Column({ name: 'name', type: 'text' })
  name!: string;

  @ForeignKey(() => UserEntity, { name: 'fk_named_versions_created_by', onDelete: 'RESTRICT' })
  @Column({ name: 'created_by', type: 'uuid' })
  createdBy!: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}
