import { randomUUID } from 'node:crypto';
import type {
  AcceptInvitationResult,
  DocumentList,
  InvitationList,
  MemberDto,
  MemberList,
  SentInvitation,
  TokenPair,
} from '@collab/contracts';
import { JwtService } from '@nestjs/jwt';
import { GatewayHarness, type RunningGateway } from './harness';

jest.setTimeout(60_000);

let h: GatewayHarness;
let gateway: RunningGateway;

beforeAll(async () => {
  h = await GatewayHarness.create('gw_members');
  gateway = await h.startGateway();
});
afterAll(() => h?.close());

function errorCode(body: unknown): string | undefined {
  return (body as { error?: { code?: string } }).error?.code;
}

const emailOf = (userId: string) => `${userId}@example.test`;

async function sharedDoc(): Promise<{
  owner: string;
  editor: string;
  viewer: string;
  stranger: string;
  docId: string;
}> {
  const owner = await h.createUser('Owner');
  const editor = await h.createUser('Editor');
  const viewer = await h.createUser('Viewer');
  const stranger = await h.createUser('Stranger');
  const docId = await h.createDocument(owner);
  await h.addMember(docId, editor, 'editor');
  await h.addMember(docId, viewer, 'viewer');
  return { owner, editor, viewer, stranger, docId };
}

async function invite(docId: string, owner: string, email: string, role = 'editor'): Promise<SentInvitation> {
  const res = await h.api<SentInvitation>(gateway, 'POST', `/documents/${docId}/invitations`, {
    token: h.token(owner),
    body: { email, role },
  });
  expect(res.status).toBe(201);
  return res.body;
}

function accept(userId: string, token: string) {
  return h.api<AcceptInvitationResult>(gateway, 'POST', '/invitations/accept', {
    token: h.token(userId),
    body: { token },
  });
}

async function listOf(userId: string): Promise<DocumentList> {
  return (await h.api<DocumentList>(gateway, 'GET', '/documents', { token: h.token(userId) })).body;
}

describe('GET /documents/:docId/members', () => {
  it('lists members owner first; only the owner sees pending invitations', async () => {
    const { owner, editor, stranger, docId } = await sharedDoc();
    await invite(docId, owner, 'someone@example.test', 'viewer');
    const forOwner = await h.api<MemberList>(gateway, 'GET', `/documents/${docId}/members`, {
      token: h.token(owner),
    });
    expect(forOwner.status).toBe(200);
    expect(forOwner.body.members.map((m) => [m.name, m.role])).toEqual([
      ['Owner', 'owner'],
      ['Editor', 'editor'],
      ['Viewer', 'viewer'],
    ]);
    expect(forOwner.body.invitations).toEqual([
      expect.objectContaining({
        email: 'someone@example.test',
        role: 'viewer',
        invitedBy: { userId: owner, name: 'Owner' },
      }),
    ]);
    expect(forOwner.body.invitations[0]).not.toHaveProperty('token');
    const forEditor = await h.api<MemberList>(gateway, 'GET', `/documents/${docId}/members`, {
      token: h.token(editor),
    });
    expect(forEditor.body.members).toHaveLength(3);
    expect(forEditor.body.invitations).toEqual([]);
    const hidden = await h.api(gateway, 'GET', `/documents/${docId}/members`, { token: h.token(stranger) });
    expect([hidden.status, errorCode(hidden.body)]).toEqual([404, 'NOT_FOUND']);
    expect((await h.api(gateway, 'GET', `/documents/${docId}/members`)).status).toBe(401);
    expect((await h.api(gateway, 'GET', '/documents/x/members', { token: h.token(owner) })).status).toBe(400);
  });
});

describe('POST /documents/:docId/invitations', () => {
  it('lets the owner invite; stores only a hash of the link token', async () => {
    const { owner, docId } = await sharedDoc();
    const sent = await invite(docId, owner, '  New.Person@Example.TEST ', 'viewer');
    expect(sent).toEqual({
      id: expect.any(String),
      documentId: docId,
      email: 'new.person@example.test',
      role: 'viewer',
      invitedBy: { userId: owner, name: 'Owner' },
      expiresAt: expect.any(String),
      token: expect.any(String),
    });
    const expiresIn = Date.parse(sent.expiresAt) - Date.now();
    expect(expiresIn).toBeGreaterThan(7 * 86_400_000 - 60_000);
    const rows: { token_hash: string }[] = await h.dataSource.query(
      'SELECT token_hash FROM invitations WHERE id = $1',
      [sent.id],
    );
    expect(rows[0]?.token_hash).toMatch(/^[0-9a-f]{64}$/);
    expect(rows[0]?.token_hash).not.toContain(sent.token);
  });

  it('refuses other roles, strangers, members already in, bad bodies and anonymous callers', async () => {
    const { owner, editor, viewer, stranger, docId } = await sharedDoc();
    const body = { email: 'x@example.test', role: 'editor' };
    for (const [user, status, code] of [
      [editor, 403, 'FORBIDDEN'],
      [viewer, 403, 'FORBIDDEN'],
      [stranger, 404, 'NOT_FOUND'],
    ] as const) {
      const res = await h.api(gateway, 'POST', `/documents/${docId}/invitations`, {
        token: h.token(user),
        body,
      });
      expect([res.status, errorCode(res.body)]).toEqual([status, code]);
    }
    const member = await h.api(gateway, 'POST', `/documents/${docId}/invitations`, {
      token: h.token(owner),
      body: { email: emailOf(editor).toUpperCase(), role: 'viewer' },
    });
    expect([member.status, errorCode(member.body)]).toEqual([409, 'CONFLICT']);
    for (const bad of [
      { email: 'x@example.test', role: 'owner' },
      { email: 'not-an-email', role: 'editor' },
      { email: 'x@example.test' },
      { email: 'x@example.test', role: 'editor', message: 'hi' },
    ]) {
      const res = await h.api(gateway, 'POST', `/documents/${docId}/invitations`, {
        token: h.token(owner),
        body: bad,
      });
      expect([res.status, errorCode(res.body)]).toEqual([400, 'BAD_REQUEST']);
    }
    expect((await h.api(gateway, 'POST', `/documents/${docId}/invitations`, { body })).status).toBe(401);
    expect(
      await h.dataSource.query('SELECT 1 FROM invitations WHERE document_id = $1', [docId]),
    ).toHaveLength(0);
  });
});

describe('accepting invitations', () => {
  it('shows the pending invitation after sign-up and accepts it by link token, once', async () => {
    const { owner, docId } = await sharedDoc();
    const email = `invitee-${randomUUID()}@example.test`;
    const sent = await invite(docId, owner, email, 'editor');

    const signUp = await h.api<TokenPair>(gateway, 'POST', '/auth/sign-up', {
      body: { email, password: 'a long pass 123', name: 'Invitee' },
    });
    expect(signUp.status).toBe(201);
    const invitee = new JwtService().decode<{ sub: string }>(signUp.body.accessToken).sub;

    const pending = await h.api<InvitationList>(gateway, 'GET', '/invitations', { token: h.token(invitee) });
    expect(pending.body.invitations).toEqual([
      {
        id: sent.id,
        documentId: docId,
        documentTitle: 'Doc',
        role: 'editor',
        invitedBy: { userId: owner, name: 'Owner' },
        expiresAt: sent.expiresAt,
      },
    ]);
    // Someone else does not see it.
    const other = await h.createUser();
    expect(
      (await h.api<InvitationList>(gateway, 'GET', '/invitations', { token: h.token(other) })).body,
    ).toEqual({
      invitations: [],
    });
    // Cache the invitee's (empty) list and the owner's list first: accepting must invalidate both.
    expect((await listOf(invitee)).documents).toEqual([]);
    await listOf(owner);

    const accepted = await accept(invitee, sent.token ?? '');
    expect(accepted.status).toBe(200);
    expect(accepted.body).toEqual({ documentId: docId, role: 'editor' });
    expect((await listOf(invitee)).documents.map((d) => [d.id, d.role])).toEqual([[docId, 'editor']]);
    expect((await listOf(owner)).documents[0]?.collaborators.map((c) => c.name)).toContain('Invitee');
    expect(
      (await h.api<InvitationList>(gateway, 'GET', '/invitations', { token: h.token(invitee) })).body,
    ).toEqual({
      invitations: [],
    });

    const reused = await accept(invitee, sent.token ?? '');
    expect([reused.status, errorCode(reused.body)]).toEqual([404, 'INVITATION_INVALID']);
  });

  it('refuses a link token used by another account, unknown, or expired', async () => {
    const { owner, docId } = await sharedDoc();
    const invitee = await h.createUser();
    const sent = await invite(docId, owner, emailOf(invitee));
    const thief = await h.createUser();
    const stolen = await accept(thief, sent.token ?? '');
    expect([stolen.status, errorCode(stolen.body)]).toEqual([404, 'INVITATION_INVALID']);
    const unknown = await accept(invitee, 'made-up-token');
    expect([unknown.status, errorCode(unknown.body)]).toEqual([404, 'INVITATION_INVALID']);

    await h.dataSource.query(
      `UPDATE invitations SET expires_at = now() - interval '1 second' WHERE id = $1`,
      [sent.id],
    );
    const expired = await accept(invitee, sent.token ?? '');
    expect([expired.status, errorCode(expired.body)]).toEqual([410, 'INVITATION_EXPIRED']);
    expect(
      (await h.api<InvitationList>(gateway, 'GET', '/invitations', { token: h.token(invitee) })).body,
    ).toEqual({
      invitations: [],
    });
    const members: unknown[] = await h.dataSource.query(
      'SELECT 1 FROM document_members WHERE document_id = $1 AND user_id IN ($2, $3)',
      [docId, invitee, thief],
    );
    expect(members).toHaveLength(0);
  });

  it('lets exactly one of two simultaneous accepts win', async () => {
    const { owner, docId } = await sharedDoc();
    const invitee = await h.createUser();
    const sent = await invite(docId, owner, emailOf(invitee));
    const results = await Promise.all([accept(invitee, sent.token ?? ''), accept(invitee, sent.token ?? '')]);
    expect(results.map((r) => r.status).sort()).toEqual([200, 404]);
  });

  it('accepts from the pending list by id', async () => {
    const { owner, docId } = await sharedDoc();
    const invitee = await h.createUser();
    const sent = await invite(docId, owner, emailOf(invitee), 'viewer');
    const other = await h.createUser();
    const wrong = await h.api(gateway, 'POST', `/invitations/${sent.id}/accept`, { token: h.token(other) });
    expect([wrong.status, errorCode(wrong.body)]).toEqual([404, 'INVITATION_INVALID']);
    const ok = await h.api(gateway, 'POST', `/invitations/${sent.id}/accept`, { token: h.token(invitee) });
    expect([ok.status, ok.body]).toEqual([200, { documentId: docId, role: 'viewer' }]);
    const again = await h.api(gateway, 'POST', `/invitations/${sent.id}/accept`, { token: h.token(invitee) });
    expect(errorCode(again.body)).toBe('INVITATION_INVALID');
    expect(
      (await h.api(gateway, 'POST', '/invitations/not-a-uuid/accept', { token: h.token(invitee) })).status,
    ).toBe(400);
    expect((await h.api(gateway, 'POST', `/invitations/${sent.id}/accept`)).status).toBe(401);
  });

  it('invites as commenter, and the owner may make a member a commenter', async () => {
    const { owner, editor, docId } = await sharedDoc();
    const invitee = await h.createUser();
    const sent = await invite(docId, owner, emailOf(invitee), 'commenter');
    const ok = await accept(invitee, sent.token ?? '');
    expect([ok.status, ok.body]).toEqual([200, { documentId: docId, role: 'commenter' }]);
    const changed = await h.api(gateway, 'PATCH', `/documents/${docId}/members/${editor}`, {
      token: h.token(owner),
      body: { role: 'commenter' },
    });
    expect(changed.status).toBe(200);
    expect((await listOf(editor)).documents.find((d) => d.id === docId)?.role).toBe('commenter');
  });

  it('replaces an earlier pending invitation for the same email, and lets the owner withdraw one', async () => {
    const { owner, editor, docId } = await sharedDoc();
    const invitee = await h.createUser();
    const first = await invite(docId, owner, emailOf(invitee), 'viewer');
    const second = await invite(docId, owner, emailOf(invitee), 'editor');
    expect(errorCode((await accept(invitee, first.token ?? '')).body)).toBe('INVITATION_INVALID');

    const path = `/documents/${docId}/invitations/${second.id}`;
    expect(errorCode((await h.api(gateway, 'DELETE', path, { token: h.token(editor) })).body)).toBe(
      'FORBIDDEN',
    );
    expect((await h.api(gateway, 'DELETE', path)).status).toBe(401);
    expect(
      (await h.api(gateway, 'DELETE', `/documents/${docId}/invitations/nope`, { token: h.token(owner) }))
        .status,
    ).toBe(400);
    expect((await h.api(gateway, 'DELETE', path, { token: h.token(owner) })).status).toBe(204);
    expect((await h.api(gateway, 'DELETE', path, { token: h.token(owner) })).status).toBe(404);
    expect(errorCode((await accept(invitee, second.token ?? '')).body)).toBe('INVITATION_INVALID');
  });

  it('refuses an invitation to a deleted document, and malformed or anonymous accepts', async () => {
    const { owner, docId } = await sharedDoc();
    const invitee = await h.createUser();
    const sent = await invite(docId, owner, emailOf(invitee));
    expect((await h.api(gateway, 'DELETE', `/documents/${docId}`, { token: h.token(owner) })).status).toBe(
      204,
    );
    expect(errorCode((await accept(invitee, sent.token ?? '')).body)).toBe('INVITATION_INVALID');
    for (const body of [{}, { token: '' }, { token: 'x', extra: true }]) {
      const res = await h.api(gateway, 'POST', '/invitations/accept', { token: h.token(invitee), body });
      expect([res.status, errorCode(res.body)]).toEqual([400, 'BAD_REQUEST']);
    }
    expect((await h.api(gateway, 'POST', '/invitations/accept', { body: { token: 'x' } })).status).toBe(401);
    expect((await h.api(gateway, 'GET', '/invitations')).status).toBe(401);
  });
});

describe('PATCH /documents/:docId/members/:userId', () => {
  it('lets the owner change a role, never the owner’s', async () => {
    const { owner, editor, viewer, stranger, docId } = await sharedDoc();
    await listOf(viewer);
    const res = await h.api<MemberDto>(gateway, 'PATCH', `/documents/${docId}/members/${viewer}`, {
      token: h.token(owner),
      body: { role: 'editor' },
    });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      userId: viewer,
      email: emailOf(viewer),
      name: 'Viewer',
      color: '#336699',
      role: 'editor',
    });
    expect((await listOf(viewer)).documents[0]?.role).toBe('editor');

    const path = (target: string) => `/documents/${docId}/members/${target}`;
    const cases: [string, string, unknown, number, string][] = [
      [editor, viewer, { role: 'viewer' }, 403, 'FORBIDDEN'],
      [stranger, viewer, { role: 'viewer' }, 404, 'NOT_FOUND'],
      [owner, owner, { role: 'viewer' }, 409, 'CANNOT_REMOVE_OWNER'],
      [owner, stranger, { role: 'viewer' }, 404, 'NOT_FOUND'],
      [owner, viewer, { role: 'owner' }, 400, 'BAD_REQUEST'],
      [owner, viewer, {}, 400, 'BAD_REQUEST'],
    ];
    for (const [caller, target, body, status, code] of cases) {
      const r = await h.api(gateway, 'PATCH', path(target), { token: h.token(caller), body });
      expect([r.status, errorCode(r.body)]).toEqual([status, code]);
    }
    expect(
      (
        await h.api(gateway, 'PATCH', `/documents/${docId}/members/x`, {
          token: h.token(owner),
          body: { role: 'viewer' },
        })
      ).status,
    ).toBe(400);
    expect((await h.api(gateway, 'PATCH', path(viewer), { body: { role: 'viewer' } })).status).toBe(401);
    const roles: { user_id: string; role: string }[] = await h.dataSource.query(
      'SELECT user_id, role FROM document_members WHERE document_id = $1 ORDER BY role',
      [docId],
    );
    expect(Object.fromEntries(roles.map((r) => [r.user_id, r.role]))).toEqual({
      [owner]: 'owner',
      [editor]: 'editor',
      [viewer]: 'editor',
    });
  });
});

describe('DELETE /documents/:docId/members/:userId', () => {
  it('lets the owner remove a member and a member leave; never removes the owner', async () => {
    const { owner, editor, viewer, stranger, docId } = await sharedDoc();
    await listOf(editor);
    const path = (target: string) => `/documents/${docId}/members/${target}`;
    expect(errorCode((await h.api(gateway, 'DELETE', path(viewer), { token: h.token(editor) })).body)).toBe(
      'FORBIDDEN',
    );
    expect(errorCode((await h.api(gateway, 'DELETE', path(viewer), { token: h.token(stranger) })).body)).toBe(
      'NOT_FOUND',
    );
    const owners = await h.api(gateway, 'DELETE', path(owner), { token: h.token(owner) });
    expect([owners.status, errorCode(owners.body)]).toEqual([409, 'CANNOT_REMOVE_OWNER']);
    expect(errorCode((await h.api(gateway, 'DELETE', path(stranger), { token: h.token(owner) })).body)).toBe(
      'NOT_FOUND',
    );
    expect(
      (await h.api(gateway, 'DELETE', `/documents/${docId}/members/x`, { token: h.token(owner) })).status,
    ).toBe(400);
    expect((await h.api(gateway, 'DELETE', path(editor))).status).toBe(401);

    expect((await h.api(gateway, 'DELETE', path(editor), { token: h.token(owner) })).status).toBe(204);
    expect((await listOf(editor)).documents).toEqual([]);
    expect((await h.api(gateway, 'GET', `/documents/${docId}`, { token: h.token(editor) })).status).toBe(404);

    expect((await h.api(gateway, 'DELETE', path(viewer), { token: h.token(viewer) })).status).toBe(204);
    const left: unknown[] = await h.dataSource.query(
      'SELECT user_id FROM document_members WHERE document_id = $1',
      [docId],
    );
    expect(left).toEqual([{ user_id: owner }]);
  });
});
