import { createTestDatabase, type TestDatabase } from '@collab/testing';
import type { DataSource } from 'typeorm';
import {
  credentialsByEmail,
  findUser,
  insertRefreshToken,
  insertUser,
  lockRefreshToken,
  markRefreshTokenReplaced,
  refreshTokenFamily,
  revokeRefreshTokenFamily,
  userBadges,
} from '../src';
import { migratedDataSource } from './fixtures';

let db: TestDatabase;
let ds: DataSource;

beforeAll(async () => {
  db = await createTestDatabase('persistence_accounts');
  ds = await migratedDataSource(db.url);
});

afterAll(async () => {
  await ds?.destroy();
  await db.drop();
});

const UNIQUE_VIOLATION = '23505';
let counter = 0;
const account = (name: string) => ({
  email: `${name.toLowerCase()}-${++counter}@example.test`,
  name,
  passwordHash: 'hash',
  color: '#123456',
});

describe('user repository', () => {
  it('stores an account once per email and reads it back', async () => {
    const ada = account('Ada');
    const id = await insertUser(ds.manager, ada);
    await expect(insertUser(ds.manager, { ...ada, name: 'Other' })).rejects.toMatchObject({
      driverError: { code: UNIQUE_VIOLATION, constraint: 'uq_users_email' },
    });
    expect(await findUser(ds.manager, id)).toEqual({ id, email: ada.email, name: 'Ada', color: '#123456' });
    expect(await credentialsByEmail(ds.manager, ada.email)).toEqual({ id, passwordHash: 'hash' });
    expect(await credentialsByEmail(ds.manager, 'nobody@example.test')).toBeNull();
    expect(await findUser(ds.manager, '00000000-0000-4000-8000-000000000000')).toBeNull();
  });

  it('answers badges once per user, by name', async () => {
    const zoe = await insertUser(ds.manager, account('Zoe'));
    const bob = await insertUser(ds.manager, account('Bob'));
    const badges = await userBadges(ds.manager, [zoe, bob, zoe, '00000000-0000-4000-8000-000000000000']);
    expect(badges.map((b) => [b.userId, b.name])).toEqual([
      [bob, 'Bob'],
      [zoe, 'Zoe'],
    ]);
    expect(await userBadges(ds.manager, [])).toEqual([]);
  });
});

describe('refresh-token repository', () => {
  it('rotates a token within its family and revokes the whole family', async () => {
    const userId = await insertUser(ds.manager, account('Tess'));
    const familyId = '11111111-1111-4111-8111-111111111111';
    const expiresAt = new Date(Date.now() + 60_000);
    await insertRefreshToken(ds.manager, { userId, familyId, tokenHash: 'first', expiresAt });
    await insertRefreshToken(ds.manager, { userId, familyId, tokenHash: 'second', expiresAt });

    const first = await ds.transaction((tx) => lockRefreshToken(tx, 'first'));
    expect(first).toMatchObject({ userId, familyId, revokedAt: null });
    await markRefreshTokenReplaced(ds.manager, first!.id, 'second');
    const replaced: { revoked: boolean; replaced_by: string }[] = await ds.query(
      `SELECT revoked_at IS NOT NULL AS revoked, replaced_by FROM refresh_tokens WHERE token_hash = 'first'`,
    );
    const second = await ds.transaction((tx) => lockRefreshToken(tx, 'second'));
    expect(replaced[0]).toEqual({ revoked: true, replaced_by: second!.id });
    expect(second?.revokedAt).toBeNull();

    expect(await refreshTokenFamily(ds.manager, 'first')).toBe(familyId);
    expect(await refreshTokenFamily(ds.manager, 'unknown')).toBeNull();
    await revokeRefreshTokenFamily(ds.manager, familyId);
    expect((await ds.transaction((tx) => lockRefreshToken(tx, 'second')))?.revokedAt).toBeInstanceOf(Date);
    expect(await ds.transaction((tx) => lockRefreshToken(tx, 'unknown'))).toBeNull();
  });
});
