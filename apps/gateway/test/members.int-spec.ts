import type { MemberDto, MemberList } from '@collab/contracts';
import { errorCode } from './harness';
import { emailOf, membersGateway } from './member-tools';

jest.setTimeout(60_000);

const stack = membersGateway('gw_members');
const { sharedDoc, invite, listOf } = stack;

describe('GET /documents/:docId/members', () => {
  it('lists members owner first; only the owner sees pending invitations', async () => {
    const { owner, editor, stranger, docId } = await sharedDoc();
    await invite(docId, owner, 'someone@example.test', 'viewer');
    const forOwner = await stack.h.api<MemberList>(stack.gateway, 'GET', `/documents/${docId}/members`, {
      token: stack.h.token(owner),
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
    const forEditor = await stack.h.api<MemberList>(stack.gateway, 'GET', `/documents/${docId}/members`, {
      token: stack.h.token(editor),
    });
    expect(forEditor.body.members).toHaveLength(3);
    expect(forEditor.body.invitations).toEqual([]);
    const hidden = await stack.h.api(stack.gateway, 'GET', `/documents/${docId}/members`, {
      token: stack.h.token(stranger),
    });
    expect([hidden.status, errorCode(hidden.body)]).toEqual([404, 'NOT_FOUND']);
    expect((await stack.h.api(stack.gateway, 'GET', `/documents/${docId}/members`)).status).toBe(401);
    expect(
      (await stack.h.api(stack.gateway, 'GET', '/documents/x/members', { token: stack.h.token(owner) }))
        .status,
    ).toBe(400);
  });
});

describe('PATCH /documents/:docId/members/:userId', () => {
  it('lets the owner change a role, never the owner’s', async () => {
    const { owner, editor, viewer, stranger, docId } = await sharedDoc();
    await listOf(viewer);
    const res = await stack.h.api<MemberDto>(
      stack.gateway,
      'PATCH',
      `/documents/${docId}/members/${viewer}`,
      {
        token: stack.h.token(owner),
        body: { role: 'editor' },
      },
    );
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
      const r = await stack.h.api(stack.gateway, 'PATCH', path(target), {
        token: stack.h.token(caller),
        body,
      });
      expect([r.status, errorCode(r.body)]).toEqual([status, code]);
    }
    expect(
      (
        await stack.h.api(stack.gateway, 'PATCH', `/documents/${docId}/members/x`, {
          token: stack.h.token(owner),
          body: { role: 'viewer' },
        })
      ).status,
    ).toBe(400);
    expect(
      (await stack.h.api(stack.gateway, 'PATCH', path(viewer), { body: { role: 'viewer' } })).status,
    ).toBe(401);
    const roles: { user_id: string; role: string }[] = await stack.h.dataSource.query(
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
    expect(
      errorCode(
        (await stack.h.api(stack.gateway, 'DELETE', path(viewer), { token: stack.h.token(editor) })).body,
      ),
    ).toBe('FORBIDDEN');
    expect(
      errorCode(
        (await stack.h.api(stack.gateway, 'DELETE', path(viewer), { token: stack.h.token(stranger) })).body,
      ),
    ).toBe('NOT_FOUND');
    const owners = await stack.h.api(stack.gateway, 'DELETE', path(owner), { token: stack.h.token(owner) });
    expect([owners.status, errorCode(owners.body)]).toEqual([409, 'CANNOT_REMOVE_OWNER']);
    expect(
      errorCode(
        (await stack.h.api(stack.gateway, 'DELETE', path(stranger), { token: stack.h.token(owner) })).body,
      ),
    ).toBe('NOT_FOUND');
    expect(
      (
        await stack.h.api(stack.gateway, 'DELETE', `/documents/${docId}/members/x`, {
          token: stack.h.token(owner),
        })
      ).status,
    ).toBe(400);
    expect((await stack.h.api(stack.gateway, 'DELETE', path(editor))).status).toBe(401);

    expect(
      (await stack.h.api(stack.gateway, 'DELETE', path(editor), { token: stack.h.token(owner) })).status,
    ).toBe(204);
    expect((await listOf(editor)).documents).toEqual([]);
    expect(
      (await stack.h.api(stack.gateway, 'GET', `/documents/${docId}`, { token: stack.h.token(editor) }))
        .status,
    ).toBe(404);

    expect(
      (await stack.h.api(stack.gateway, 'DELETE', path(viewer), { token: stack.h.token(viewer) })).status,
    ).toBe(204);
    const left: unknown[] = await stack.h.dataSource.query(
      'SELECT user_id FROM document_members WHERE document_id = $1',
      [docId],
    );
    expect(left).toEqual([{ user_id: owner }]);
  });
});
