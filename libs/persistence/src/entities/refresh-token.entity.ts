import { Column, CreateDateColumn, Entity, ForeignKey, Index, PrimaryGeneratedColumn, Unique } from 'typeorm';
import { UserEntity } from './user.entity';

/**
 * One refresh token of a rotating family. Only a hash of the token is stored.
 *
 * Rotation: using a token revokes it (`revoked_at`), points `replaced_by` at its
 * successor and issues the successor in the same `family_id`. Reuse detection:
 * presenting a token that is already revoked means it was stolen or replayed, and
 * the whole family is revoked (`WHERE family_id = $1`, hence the index).
 */
@Entity({ name: 'refresh_tokens' })
@Unique('uq_refresh_tokens_token_hash', ['tokenHash'])
@Index('idx_refresh_tokens_user_id', ['userId'])
@Index('idx_refresh_tokens_family_id', ['familyId'])
export class RefreshTokenEntity {
  @PrimaryGeneratedColumn('uuid', { name: 'id', primaryKeyConstraintName: 'pk_refresh_tokens' })
  id!: string;

  @ForeignKey(() => UserEntity, { name: 'fk_refresh_tokens_user_id', onDelete: 'CASCADE' })
  @Column({ name: 'user_id', type: 'uuid' })
  userId!: string;

  @Column({ name: 'family_id', type: 'uuid' })
  familyId!: string;

  @Column({ name: 'token_hash', type: 'text' })
  tokenHash!: string;

  @Column({ name: 'expires_at', type: 'timestamptz' })
  expiresAt!: Date;

  @Column({ name: 'revoked_at', type: 'timestamptz', nullable: true })
  revokedAt!: Date | null;

  @ForeignKey(() => RefreshTokenEntity, { name: 'fk_refresh_tokens_replaced_by', onDelete: 'SET NULL' })
  @Column({ name: 'replaced_by', type: 'uuid', nullable: true })
  replacedBy!: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}
