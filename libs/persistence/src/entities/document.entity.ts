import {
  Check,
  Column,
  CreateDateColumn,
  DeleteDateColumn,
  Entity,
  ForeignKey,
  Index,
  PrimaryGeneratedColumn,
  UpdateDateColumn,
} from 'typeorm';
import { bigintNumberTransformer } from '../version';
import { UserEntity } from './user.entity';

/**
 * A document's metadata. Its content lives in `operations` and `snapshots`.
 *
 * `head_version` is the version of the newest operation (0 for a new, empty
 * document). Only the owning doc-service actor moves it, in the same transaction
 * as the INSERT of the operations (see `insertOperations`), so it never disagrees
 * with the operations table. `deleted_at` marks a soft delete.
 */
@Entity({ name: 'documents' })
@Index('idx_documents_owner_id', ['ownerId'])
@Check('chk_documents_head_version', `"head_version" >= 0`)
export class DocumentEntity {
  @PrimaryGeneratedColumn('uuid', { name: 'id', primaryKeyConstraintName: 'pk_documents' })
  id!: string;

  @Column({ name: 'title', type: 'text' })
  title!: string;

  @ForeignKey(() => UserEntity, { name: 'fk_documents_owner_id', onDelete: 'RESTRICT' })
  @Column({ name: 'owner_id', type: 'uuid' })
  ownerId!: string;

  @Column({ name: 'head_version', type: 'bigint', default: 0, transformer: bigintNumberTransformer })
  headVersion!: number;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;

  @DeleteDateColumn({ name: 'deleted_at', type: 'timestamptz', nullable: true })
  deletedAt!: Date | null;
}
