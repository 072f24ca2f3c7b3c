import { createTestDatabase, type TestDatabase } from '@collab/testing';
import type { DataSource } from 'typeorm';
import {
  changeMemberRole,
  collaboratorsOf,
  documentHead,
  documentHeads,
  documentMeta,
  documentsOfMember,
  documentState,
  documentTitle,
  insertDocument,
  insertMember,
  isMemberByEmail,
  isMemberOfDeletedDocument,
  listMembers,
  lockMemberRole,
  memberIds,
  removeMember,
  renameDocument,
  rolesOf,
  setMemberRole,
  softDeleteDocument,
  UserEntity,
} from '../src';
import { createUser as createUserRow } from '@collab/testing';
import { migratedDataSource } from './fixtures';

let db: TestDatabase;
let ds: DataSource;

beforeAll(async () => {
  db = await createTestDatabase('persistence_documents');
  ds = await migratedDataSource(db.url);
});

afterAll(async () => {
  await ds?.destroy();
  await db.drop();
});

/** A new user's whole row (these specs compare email, name and colour too). */
async function createUser(dataSource: DataSource): Promise<UserEntity> {
  return dataSource.getRepository(UserEntity).findOneByOrFail({ id: await createUserRow(dataSource) });
}

const FOREIGN_KEY_VIOLATION = '23503';

describe('document repository', () => {
  it('creates a document with its owner as a member, or nothing for an unknown owner', async () => {
    const owner = await createUser(ds);
    const docId = await insertDocument(ds.manager, owner.id, 'Plans');
    expect(await documentMeta(ds.manager, docId)).toEqual({ id: docId, title: 'Plans', ownerId: owner.id });
    expect(await listMembers(ds.manager, docId)).toEqual([
      { userId: owner.id, email: owner.email, name: owner.name, color: owner.color, role: 'owner' },
    ]);

    const ghost = '00000000-0000-4000-8000-000000000000';
    await expect(insertDocument(ds.manager, ghost, 'Nobody')).rejects.toMatchObject({
      driverError: { code: FOREIGN_KEY_VIOLATION, constraint: 'fk_documents_owner_id' },
    });
    const rows: unknown[] = await ds.query('SELECT 1 FROM documents WHERE title = $1', ['Nobody']);
    expect(rows).toHaveLength(0);
  });

  it('lists a member its documents, newest edit first, up to the limit, without deleted ones', async () => {
    const owner = await createUser(ds);
    const reader = await createUser(ds);
    const first = await insertDocument(ds.manager, owner.id, 'First');
    const second = await insertDocument(ds.manager, owner.id, 'Second');
    const gone = await insertDocument(ds.manager, owner.id, 'Gone');
    await insertMember(ds.manager, first, reader.id, 'viewer');
    await ds.query(
      `UPDATE documents SET head_version = 7, updated_at = now() + interval '1 minute' WHERE id = $1`,
      [first],
    );
    await softDeleteDocument(ds.manager, gone);

    const listed = await documentsOfMember(ds.manager, owner.id, 10);
    expect(listed.map((d) => [d.title, d.role, d.headVersion])).toEqual([
      ['First', 'owner', 7],
      ['Second', 'owner', 0],
    ]);
    expect(await documentsOfMember(ds.manager, owner.id, 1)).toHaveLength(1);
    expect((await documentsOfMember(ds.manager, reader.id, 10)).map((d) => [d.id, d.role])).toEqual([
      [first, 'viewer'],
    ]);

    const heads = await documentHeads(ds.manager, [first, second, gone]);
    expect(heads.map((h) => [h.id, h.headVersion]).sort()).toEqual(
      [
        [first, 7],
        [second, 0],
      ].sort(),
    );
    expect(await documentHead(ds.manager, gone)).toBeNull();
    expect(await documentMeta(ds.manager, gone)).toBeNull();
    // The title stays readable after a delete (an export names its file by it).
    expect(await documentTitle(ds.manager, gone)).toBe('Gone');
    expect(await documentTitle(ds.manager, '00000000-0000-4000-8000-000000000000')).toBeNull();
    expect(await documentState(ds.manager, first)).toEqual({ headVersion: 7, deleted: false });
    expect(await documentState(ds.manager, gone)).toEqual({ headVersion: 0, deleted: true });
    expect(await documentState(ds.manager, '00000000-0000-4000-8000-000000000000')).toBeNull();
  });

  it('renames, and lists collaborators owner first then by joining', async () => {
    const owner = await createUser(ds);
    const a = await createUser(ds);
    const b = await createUser(ds);
    const docId = await insertDocument(ds.manager, owner.id, 'Old');
    await insertMember(ds.manager, docId, b.id, 'editor');
    await insertMember(ds.manager, docId, a.id, 'viewer');
    await renameDocument(ds.manager, docId, 'New');
    expect((await documentMeta(ds.manager, docId))?.title).toBe('New');
    const collaborators = await collaboratorsOf(ds.manager, [docId]);
    expect(collaborators.get(docId)?.map((c) => c.userId)).toEqual([owner.id, b.id, a.id]);
    expect((await memberIds(ds.manager, docId)).sort()).toEqual([owner.id, a.id, b.id].sort());
  });
});

describe('member repository', () => {
  it('reads the roles of many pairs in one query, telling a deleted document apart', async () => {
    const owner = await createUser(ds);
    const other = await createUser(ds);
    const live = await insertDocument(ds.manager, owner.id, 'Live');
    const gone = await insertDocument(ds.manager, owner.id, 'Gone');
    await softDeleteDocument(ds.manager, gone);
    const roles = await rolesOf(ds.manager, [
      { userId: owner.id, docId: live },
      { userId: other.id, docId: live },
      { userId: owner.id, docId: gone },
    ]);
    expect(roles).toEqual(
      expect.arrayContaining([
        { userId: owner.id, docId: live, role: 'owner', deleted: false },
        { userId: other.id, docId: live, role: null, deleted: false },
        { userId: owner.id, docId: gone, role: null, deleted: true },
      ]),
    );
    expect(await rolesOf(ds.manager, [])).toEqual([]);
    expect(await isMemberOfDeletedDocument(ds.manager, owner.id, gone)).toBe(true);
    expect(await isMemberOfDeletedDocument(ds.manager, other.id, gone)).toBe(false);
    expect(await isMemberOfDeletedDocument(ds.manager, owner.id, live)).toBe(false);
  });

  it('changes and removes members but never the owner', async () => {
    const owner = await createUser(ds);
    const member = await createUser(ds);
    const docId = await insertDocument(ds.manager, owner.id, 'Doc');
    await insertMember(ds.manager, docId, member.id, 'viewer');
    expect(await isMemberByEmail(ds.manager, docId, member.email)).toBe(true);

    expect(await changeMemberRole(ds.manager, docId, member.id, 'editor')).toMatchObject({
      userId: member.id,
      role: 'editor',
    });
    expect(await changeMemberRole(ds.manager, docId, owner.id, 'viewer')).toBeNull();
    expect(await removeMember(ds.manager, docId, owner.id)).toBe(false);
    expect(await lockMemberRole(ds.manager, docId, owner.id)).toBe('owner');

    expect(await removeMember(ds.manager, docId, member.id)).toBe(true);
    expect(await removeMember(ds.manager, docId, member.id)).toBe(false);
    expect(await isMemberByEmail(ds.manager, docId, member.email)).toBe(false);
    expect(await lockMemberRole(ds.manager, docId, member.id)).toBeNull();
  });

  it('holds a member row locked until the transaction ends', async () => {
    const owner = await createUser(ds);
    const member = await createUser(ds);
    const docId = await insertDocument(ds.manager, owner.id, 'Doc');
    await insertMember(ds.manager, docId, member.id, 'viewer');
    const order: string[] = [];
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    let locked!: () => void;
    const lockTaken = new Promise<void>((resolve) => (locked = resolve));
    const first = ds.transaction(async (tx) => {
      expect(await lockMemberRole(tx, docId, member.id)).toBe('viewer');
      locked();
      await held;
      await setMemberRole(tx, docId, member.id, 'editor');
      order.push('first committed');
    });
    await lockTaken;
    const second = ds.transaction(async (tx) => {
      const role = await lockMemberRole(tx, docId, member.id);
      order.push(`second read ${role}`);
    });
    release();
    await Promise.all([first, second]);
    expect(order).toEqual(['first committed', 'second read editor']);
  });
});
