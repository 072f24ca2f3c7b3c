import type { EntityManager } from 'typeorm';
import { UserEntity } from '../entities/user.entity';

/** An account as the product shows it. */
export interface UserRecord {
  readonly id: string;
  readonly email: string;
  readonly name: string;
  readonly color: string;
}

/** The name and colour drawn for a user next to their caret and edits. */
export interface UserBadge {
  readonly userId: string;
  readonly name: string;
  readonly color: string;
}

/**
 * Creates an account and returns its id. `email` is already normalized; the
 * unique constraint `uq_users_email` refuses a second account for it (the
 * caller maps that violation), so two racing sign-ups cannot both win.
 */
export async function insertUser(
  manager: EntityManager,
  user: { email: string; name: string; passwordHash: string; color: string },
): Promise<string> {
  // A copy: TypeORM writes the generated id into the object it inserts.
  const inserted = await manager.getRepository(UserEntity).insert({ ...user });
  return (inserted.identifiers[0] as { id: string }).id;
}

/** The id and password hash of the account with this (normalized) email, or null. */
export async function credentialsByEmail(
  manager: EntityManager,
  email: string,
): Promise<{ id: string; passwordHash: string } | null> {
  return manager
    .getRepository(UserEntity)
    .findOne({ select: { id: true, passwordHash: true }, where: { email } });
}

/** The account, or null when it does not exist (deleted since its token was issued). */
export async function findUser(manager: EntityManager, userId: string): Promise<UserRecord | null> {
  const user = await manager
    .getRepository(UserEntity)
    .findOne({ select: { id: true, email: true, name: true, color: true }, where: { id: userId } });
  return user ? { id: user.id, email: user.email, name: user.name, color: user.color } : null;
}

/** Names and colours of the given users (each once), by name then id; unknown ids are left out. */
export async function userBadges(manager: EntityManager, userIds: readonly string[]): Promise<UserBadge[]> {
  const unique = [...new Set(userIds)];
  if (unique.length === 0) return [];
  return manager.query(
    'SELECT id AS "userId", name, color FROM users WHERE id = ANY($1::uuid[]) ORDER BY name, id',
    [unique],
  );
}
