import { randomUUID } from 'node:crypto';
import type { InvitationList, TokenPair } from '@collab/contracts';
import { JwtService } from '@nestjs/jwt';
import { errorCode } from './harness';
import { emailOf, membersGateway } from './member-tools';

jest.setTimeout(60_000);

const stack = membersGateway('gw_invitations');
const { sharedDoc, invite, accept, listOf } = stack;

/** The invitations `userId` has pending, as GET /invitations lists them. */
async function invitationsOf(userId: string): Promise<InvitationList> {
  return (
    await stack.h.api<InvitationList>(stack.gateway, 'GET', '/invitations', { token: stack.h.token(userId) })
  ).body;
}

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
    const rows: { token_hash: string }[] = await stack.h.dataSource.query(
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
      const res = await stack.h.api(stack.gateway, 'POST', `/documents/${docId}/invitations`, {
        token: stack.h.token(user),
        body,
      });
      expect([res.status, errorCode(res.body)]).toEqual([status, code]);
    }
    const member = await stack.h.api(stack.gateway, 'POST', `/documents/${docId}/invitations`, {
      token: stack.h.token(owner),
      body: { email: emailOf(editor).toUpperCase(), role: 'viewer' },
    });
    expect([member.status, errorCode(member.body)]).toEqual([409, 'CONFLICT']);
    for (const bad of [
      { email: 'x@example.test', role: 'owner' },
      { email: 'not-an-email', role: 'editor' },
      { email: 'x@example.test' },
      { email: 'x@example.test', role: 'editor', message: 'hi' },
    ]) {
      const res = await stack.h.api(stack.gateway, 'POST', `/documents/${docId}/invitations`, {
        token: stack.h.token(owner),
        body: bad,
      });
      expect([res.status, errorCode(res.body)]).toEqual([400, 'BAD_REQUEST']);
    }
    expect(
      (await stack.h.api(stack.gateway, 'POST', `/documents/${docId}/invitations`, { body })).status,
    ).toBe(401);
    expect(
      await stack.h.dataSource.query('SELECT 1 FROM invitations WHERE document_id = $1', [docId]),
    ).toHaveLength(0);
  });
});

describe('accepting invitations', () => {
  it('shows the pending invitation after sign-up and accepts it by link token, once', async () => {
    const { owner, docId } = await sharedDoc();
    const email = `invitee-${randomUUID()}@example.test`;
    const sent = await invite(docId, owner, email, 'editor');

    const signUp = await stack.h.api<TokenPair>(stack.gateway, 'POST', '/auth/sign-up', {
      body: { email, password: 'a long pass 123', name: 'Invitee' },
    });
    expect(signUp.status).toBe(201);
    const invitee = new JwtService().decode<{ sub: string }>(signUp.body.accessToken).sub;

    const pending = await stack.h.api<InvitationList>(stack.gateway, 'GET', '/invitations', {
      token: stack.h.token(invitee),
    });
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
    const other = await stack.h.createUser();
    expect(await invitationsOf(other)).toEqual({ invitations: [] });
    // Cache the invitee's (empty) list and the owner's list first: accepting must invalidate both.
    expect((await listOf(invitee)).documents).toEqual([]);
    await listOf(owner);

    const accepted = await accept(invitee, sent.token ?? '');
    expect(accepted.status).toBe(200);
    expect(accepted.body).toEqual({ documentId: docId, role: 'editor' });
    expect((await listOf(invitee)).documents.map((d) => [d.id, d.role])).toEqual([[docId, 'editor']]);
    expect((await listOf(owner)).documents[0]?.collaborators.map((c) => c.name)).toContain('Invitee');
    expect(await invitationsOf(invitee)).toEqual({ invitations: [] });

    const reused = await accept(invitee, sent.token ?? '');
    expect([reused.status, errorCode(reused.body)]).toEqual([404, 'INVITATION_INVALID']);
  });

  it('refuses a link token used by another account, unknown, or expired', async () => {
    const { owner, docId } = await sharedDoc();
    const invitee = await stack.h.createUser();
    const sent = await invite(docId, owner, emailOf(invitee));
    const thief = await stack.h.createUser();
    const stolen = await accept(thief, sent.token ?? '');
    expect([stolen.status, errorCode(stolen.body)]).toEqual([404, 'INVITATION_INVALID']);
    const unknown = await accept(invitee, 'made-up-token');
    expect([unknown.status, errorCode(unknown.body)]).toEqual([404, 'INVITATION_INVALID']);

    await stack.h.dataSource.query(
      `UPDATE invitations SET expires_at = now() - interval '1 second' WHERE id = $1`,
      [sent.id],
    );
    const expired = await accept(invitee, sent.token ?? '');
    expect([expired.status, errorCode(expired.body)]).toEqual([410, 'INVITATION_EXPIRED']);
    expect(await invitationsOf(invitee)).toEqual({ invitations: [] });
    const members: unknown[] = await stack.h.dataSource.query(
      'SELECT 1 FROM document_members WHERE document_id = $1 AND user_id IN ($2, $3)',
      [docId, invitee, thief],
    );
    expect(members).toHaveLength(0);
  });

  it('lets exactly one of two simultaneous accepts win', async () => {
    const { owner, docId } = await sharedDoc();
    const invitee = await stack.h.createUser();
    const sent = await invite(docId, owner, emailOf(invitee));
    const results = await Promise.all([accept(invitee, sent.token ?? ''), accept(invitee, sent.token ?? '')]);
    expect(results.map((r) => r.status).sort()).toEqual([200, 404]);
  });

  it('accepts from the pending list by id', async () => {
    const { owner, docId } = await sharedDoc();
    const invitee = await stack.h.createUser();
    const sent = await invite(docId, owner, emailOf(invitee), 'viewer');
    const other = await stack.h.createUser();
    const wrong = await stack.h.api(stack.gateway, 'POST', `/invitations/${sent.id}/accept`, {
      token: stack.h.token(other),
    });
    expect([wrong.status, errorCode(wrong.body)]).toEqual([404, 'INVITATION_INVALID']);
    const ok = await stack.h.api(stack.gateway, 'POST', `/invitations/${sent.id}/accept`, {
      token: stack.h.token(invitee),
    });
    expect([ok.status, ok.body]).toEqual([200, { documentId: docId, role: 'viewer' }]);
    const again = await stack.h.api(stack.gateway, 'POST', `/invitations/${sent.id}/accept`, {
      token: stack.h.token(invitee),
    });
    expect(errorCode(again.body)).toBe('INVITATION_INVALID');
    expect(
      (
        await stack.h.api(stack.gateway, 'POST', '/invitations/not-a-uuid/accept', {
          token: stack.h.token(invitee),
        })
      ).status,
    ).toBe(400);
    expect((await stack.h.api(stack.gateway, 'POST', `/invitations/${sent.id}/accept`)).status).toBe(401);
  });

  it('invites as commenter, and the owner may make a member a commenter', async () => {
    const { owner, editor, docId } = await sharedDoc();
    const invitee = await stack.h.createUser();
    const sent = await invite(docId, owner, emailOf(invitee), 'commenter');
    const ok = await accept(invitee, sent.token ?? '');
    expect([ok.status, ok.body]).toEqual([200, { documentId: docId, role: 'commenter' }]);
    const changed = await stack.h.api(stack.gateway, 'PATCH', `/documents/${docId}/members/${editor}`, {
      token: stack.h.token(owner),
      body: { role: 'commenter' },
    });
    expect(changed.status).toBe(200);
    expect((await listOf(editor)).documents.find((d) => d.id === docId)?.role).toBe('commenter');
  });

  it('replaces an earlier pending invitation for the same email, and lets the owner withdraw one', async () => {
    const { owner, editor, docId } = await sharedDoc();
    const invitee = await stack.h.createUser();
    const first = await invite(docId, owner, emailOf(invitee), 'viewer');
    const second = await invite(docId, owner, emailOf(invitee), 'editor');
    expect(errorCode((await accept(invitee, first.token ?? '')).body)).toBe('INVITATION_INVALID');

    const path = `/documents/${docId}/invitations/${second.id}`;
    expect(
      errorCode((await stack.h.api(stack.gateway, 'DELETE', path, { token: stack.h.token(editor) })).body),
    ).toBe('FORBIDDEN');
    expect((await stack.h.api(stack.gateway, 'DELETE', path)).status).toBe(401);
    expect(
      (
        await stack.h.api(stack.gateway, 'DELETE', `/documents/${docId}/invitations/nope`, {
          token: stack.h.token(owner),
        })
      ).status,
    ).toBe(400);
    expect((await stack.h.api(stack.gateway, 'DELETE', path, { token: stack.h.token(owner) })).status).toBe(
      204,
    );
    expect((await stack.h.api(stack.gateway, 'DELETE', path, { token: stack.h.token(owner) })).status).toBe(
      404,
    );
    expect(errorCode((await accept(invitee, second.token ?? '')).body)).toBe('INVITATION_INVALID');
  });

  it('refuses an invitation to a deleted document, and malformed or anonymous accepts', async () => {
    const { owner, docId } = await sharedDoc();
    const invitee = await stack.h.createUser();
    const sent = await invite(docId, owner, emailOf(invitee));
    expect(
      (await stack.h.api(stack.gateway, 'DELETE', `/documents/${docId}`, { token: stack.h.token(owner) }))
        .status,
    ).toBe(204);
    expect(errorCode((await accept(invitee, sent.token ?? '')).body)).toBe('INVITATION_INVALID');
    for (const body of [{}, { token: '' }, { token: 'x', extra: true }]) {
      const res = await stack.h.api(stack.gateway, 'POST', '/invitations/accept', {
        token: stack.h.token(invitee),
        body,
      });
      expect([res.status, errorCode(res.body)]).toEqual([400, 'BAD_REQUEST']);
    }
    expect(
      (await stack.h.api(stack.gateway, 'POST', '/invitations/accept', { body: { token: 'x' } })).status,
    ).toBe(401);
    expect((await stack.h.api(stack.gateway, 'GET', '/invitations')).status).toBe(401);
  });
});
