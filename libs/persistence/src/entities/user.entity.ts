import {
  Check,
  Column,
  CreateDateColumn,
  Entity,
  PrimaryGeneratedColumn,
  Unique,
  UpdateDateColumn,
} from 'typeorm';

/**
 * An account. `email` is stored normalized (trimmed, lower-case; see
 * `normalizeEmail`), and a CHECK refuses anything else, so the UNIQUE constraint
 * is case-insensitive in effect without citext.
 */
@Entity({ name: 'users' })
@Unique('uq_users_email', ['email'])
@Check('chk_users_email_normalized', `"email" = lower(btrim("email"))`)
export class UserEntity {
  @PrimaryGeneratedColumn('uuid', { name: 'id', primaryKeyConstraintName: 'pk_users' })
  id!: string;

  @Column({ name: 'email', type: 'text' })
  email!: string;

  @Column({ name: 'name', type: 'text' })
  name!: string;

  @Column({ name: 'password_hash', type: 'text' })
  passwordHash!: string;

  /** The colour of the user's caret and selection for presence. */
  @Column({ name: 'color', type: 'text' })
  color!: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}
