import { createTestDatabase, type TestDatabase } from '@collab/testing';
import type { DataSource } from 'typeorm';
import {
  claimInvitation,
  deletePendingInvitation,
  insertDocument,
  invitationStatus,
  invitationsForEmail,
  pendingInvitationsOf,
  replacePendingInvitation,
  softDeleteDocument,
} from '../src';
import { createUser } from '@collab/testing';
import { migratedDataSource } from './fixtures';

let db: TestDatabase;
let ds: DataSource;
let ownerId: string;

beforeAll(async () => {
  db = await createTestDatabase('persistence_invitations');
  ds = await migratedDataSource(db.url);
  ownerId = await createUser(ds);
});

afterAll(async () => {
  await ds?.destroy();
  await db.drop();
});

const inAMinute = () => new Date(Date.now() + 60_000);

function invite(documentId: string, email: string, tokenHash: string, expiresAt = inAMinute()) {
  return replacePendingInvitation(ds.manager, {
    documentId,
    email,
    role: 'editor',
    tokenHash,
    invitedBy: ownerId,
    expiresAt,
  });
}

describe('invitation repository', () => {
  it('replaces a pending invitation for the same email, lists and withdraws it', async () => {
    const docId = await insertDocument(ds.manager, ownerId, 'Shared');
    const earlier = await invite(docId, 'guest@example.test', 'hash-a');
    const later = await invite(docId, 'guest@example.test', 'hash-b');
    const pending = await pendingInvitationsOf(ds.manager, docId);
    expect(pending.map((p) => p.id)).toEqual([later]);
    expect(pending[0]).toMatchObject({
      email: 'guest@example.test',
      role: 'editor',
      invitedBy: { userId: ownerId },
    });
    expect(await pendingInvitationsOf(ds.manager, docId, earlier)).toEqual([]);
    expect((await invitationsForEmail(ds.manager, 'guest@example.test')).map((i) => i.documentTitle)).toEqual(
      ['Shared'],
    );

    expect(await deletePendingInvitation(ds.manager, docId, later)).toBe(true);
    expect(await deletePendingInvitation(ds.manager, docId, later)).toBe(false);
    expect(await pendingInvitationsOf(ds.manager, docId)).toEqual([]);
  });

  it('lets exactly one of racing claims win, by token or by id', async () => {
    const docId = await insertDocument(ds.manager, ownerId, 'Race');
    const id = await invite(docId, 'racer@example.test', 'hash-race');
    const claimant = await createUser(ds);
    const claims = await Promise.all([
      ...Array.from({ length: 4 }, () =>
        ds.transaction((tx) =>
          claimInvitation(tx, { tokenHash: 'hash-race' }, 'racer@example.test', claimant),
        ),
      ),
      ...Array.from({ length: 4 }, () =>
        ds.transaction((tx) => claimInvitation(tx, { id }, 'racer@example.test', claimant)),
      ),
    ]);
    expect(claims.filter((c) => c !== null)).toEqual([{ documentId: docId, role: 'editor' }]);
    expect(await invitationStatus(ds.manager, { id }, 'racer@example.test')).toEqual({
      expired: false,
      accepted: true,
      forEmail: true,
    });
  });

  it('claims nothing for another email, past expiry or on a deleted document, and says why', async () => {
    const docId = await insertDocument(ds.manager, ownerId, 'Refusals');
    const claimant = await createUser(ds);
    await invite(docId, 'late@example.test', 'hash-late', new Date(Date.now() - 1000));
    await invite(docId, 'mine@example.test', 'hash-mine');

    expect(
      await claimInvitation(ds.manager, { tokenHash: 'hash-late' }, 'late@example.test', claimant),
    ).toBeNull();
    expect(await invitationStatus(ds.manager, { tokenHash: 'hash-late' }, 'late@example.test')).toEqual({
      expired: true,
      accepted: false,
      forEmail: true,
    });
    expect(
      await claimInvitation(ds.manager, { tokenHash: 'hash-mine' }, 'thief@example.test', claimant),
    ).toBeNull();
    expect(
      (await invitationStatus(ds.manager, { tokenHash: 'hash-mine' }, 'thief@example.test'))?.forEmail,
    ).toBe(false);
    expect(await invitationStatus(ds.manager, { tokenHash: 'no-such-hash' }, 'mine@example.test')).toBeNull();
    expect(await invitationsForEmail(ds.manager, 'late@example.test')).toEqual([]);

    await softDeleteDocument(ds.manager, docId);
    expect(await invitationsForEmail(ds.manager, 'mine@example.test')).toEqual([]);
    expect(
      await claimInvitation(ds.manager, { tokenHash: 'hash-mine' }, 'mine@example.test', claimant),
    ).toBeNull();
  });
});
