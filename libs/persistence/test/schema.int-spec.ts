import { randomUUID } from 'node:crypto';
import { createTestDatabase, type TestDatabase } from '@collab/testing';
import { QueryFailedError, type DataSource } from 'typeorm';
import {
  DocumentEntity,
  DocumentMemberEntity,
  DocumentRole,
  insertOperations,
  insertSnapshotIfAbsent,
  InvitationEntity,
  NamedVersionEntity,
  normalizeEmail,
  RefreshTokenEntity,
  UserEntity,
} from '../src';
import { createDocument, createUser } from '@collab/testing';
import { migratedDataSource, ops } from './fixtures';

let db: TestDatabase;
let ds: DataSource;

beforeAll(async () => {
  db = await createTestDatabase('persistence_schema');
  ds = await migratedDataSource(db.url);
});

afterAll(async () => {
  await ds?.destroy();
  await db.drop();
});

/** The SQLSTATE and constraint a rejected write failed with. */
async function violation(write: Promise<unknown>): Promise<{ code: string; constraint: string }> {
  const error = await write.then(
    () => new Error('the write succeeded'),
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(QueryFailedError);
  const { code, constraint } = (error as QueryFailedError<Error & { code: string; constraint: string }>)
    .driverError;
  return { code, constraint };
}

describe('users', () => {
  it('stores only normalized emails, unique', async () => {
    const users = ds.getRepository(UserEntity);
    const email = normalizeEmail(`  Ada.${randomUUID()}@Example.TEST `);
    expect(email).toBe(email.trim().toLowerCase());
    await users.save({ email, name: 'Ada', passwordHash: 'h', color: '#ff0000' });
    expect(
      await violation(users.save({ email, name: 'Ada 2', passwordHash: 'h', color: '#00ff00' })),
    ).toEqual({
      code: '23505',
      constraint: 'uq_users_email',
    });
    expect(
      await violation(
        users.save({ email: 'Mixed@Case.test', name: 'M', passwordHash: 'h', color: '#0000ff' }),
      ),
    ).toEqual({ code: '23514', constraint: 'chk_users_email_normalized' });
  });
});

describe('document_members', () => {
  it('accepts only the three roles and one owner per document', async () => {
    const owner = await createUser(ds);
    const editor = await createUser(ds);
    const doc = await createDocument(ds, owner); // with the owner's membership
    const members = ds.getRepository(DocumentMemberEntity);
    await members.save({ documentId: doc, userId: editor, role: DocumentRole.Editor });

    expect(
      await violation(members.insert({ documentId: doc, userId: editor, role: DocumentRole.Viewer })),
    ).toMatchObject({ code: '23505', constraint: 'pk_document_members' });
    const stranger = await createUser(ds);
    expect(
      await violation(members.insert({ documentId: doc, userId: stranger, role: 'admin' as DocumentRole })),
    ).toEqual({ code: '23514', constraint: 'chk_document_members_role' });
    expect(
      await violation(members.insert({ documentId: doc, userId: stranger, role: DocumentRole.Owner })),
    ).toEqual({ code: '23505', constraint: 'uq_document_members_one_owner' });

    // "Documents I can open" by user id.
    const mine = await members.findBy({ userId: editor });
    expect(mine.map((m) => [m.documentId, m.role])).toEqual([[doc, 'editor']]);
  });
});

describe('invitations and refresh tokens', () => {
  it('keep token hashes unique and invitation roles below owner', async () => {
    const owner = await createUser(ds);
    const doc = await createDocument(ds, owner);
    const invitations = ds.getRepository(InvitationEntity);
    const expiresAt = new Date(Date.now() + 86_400_000);
    const base = { documentId: doc, email: 'guest@example.test', invitedBy: owner, expiresAt };
    await invitations.insert({ ...base, role: 'editor', tokenHash: 'hash-1' });
    expect(await violation(invitations.insert({ ...base, role: 'viewer', tokenHash: 'hash-1' }))).toEqual({
      code: '23505',
      constraint: 'uq_invitations_token_hash',
    });
    expect(
      await violation(invitations.insert({ ...base, role: 'owner' as 'editor', tokenHash: 'hash-2' })),
    ).toEqual({ code: '23514', constraint: 'chk_invitations_role' });

    const tokens = ds.getRepository(RefreshTokenEntity);
    const familyId = randomUUID();
    const first = await tokens.save({
      userId: owner,
      familyId,
      tokenHash: 'rt-1',
      expiresAt,
      revokedAt: null,
    });
    expect(first.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(
      await violation(tokens.insert({ userId: owner, familyId, tokenHash: 'rt-1', expiresAt })),
    ).toMatchObject({ code: '23505', constraint: 'uq_refresh_tokens_token_hash' });
  });
});

describe('deleting a document', () => {
  it('cascades to its members, invitations, operations, snapshots and named versions', async () => {
    const owner = await createUser(ds);
    const doc = await createDocument(ds, owner); // with the owner's membership
    await ds.getRepository(InvitationEntity).insert({
      documentId: doc,
      email: 'x@example.test',
      role: 'viewer',
      tokenHash: `inv-${doc}`,
      invitedBy: owner,
      expiresAt: new Date(Date.now() + 1000),
    });
    await insertOperations(ds.manager, ops(doc, owner, 1, 3));
    await insertSnapshotIfAbsent(ds.manager, {
      documentId: doc,
      version: 3,
      delta: [],
      html: '',
      text: '',
    });
    await ds
      .getRepository(NamedVersionEntity)
      .insert({ documentId: doc, version: 3, name: 'v3', createdBy: owner });
    expect((await ds.getRepository(DocumentEntity).findOneByOrFail({ id: doc })).headVersion).toBe(3);

    await ds.getRepository(DocumentEntity).delete({ id: doc });
    for (const table of ['document_members', 'invitations', 'operations', 'snapshots', 'named_versions']) {
      const rows: { n: number }[] = await ds.query(
        `SELECT count(*)::int AS n FROM ${table} WHERE document_id = $1`,
        [doc],
      );
      expect([table, rows[0].n]).toEqual([table, 0]);
    }
  });
});
