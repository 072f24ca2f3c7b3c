import { DOC_ID, USER_ID, expectAccepted, expectRejected } from '../../test/expect-parse';
import {
  AcceptInvitationRequest,
  ChangeMemberRoleRequest,
  InvitationDto,
  InviteMemberRequest,
  MemberList,
  SentInvitation,
} from './members.dto';

const INVITATION_ID = '0b1c2d3e-4f50-4a6b-9c7d-8e9f0a1b2c3d';

describe('member DTOs', () => {
  it('invites by normalized email as editor or viewer, never owner', () => {
    expect(expectAccepted(InviteMemberRequest, { email: ' Bob@Example.com', role: 'editor' })).toEqual({
      email: 'bob@example.com',
      role: 'editor',
    });
    expectAccepted(InviteMemberRequest, { email: 'bob@example.com', role: 'viewer' });
    expectRejected(InviteMemberRequest, { email: 'bob@example.com', role: 'owner' }, { path: 'role' });
    expectRejected(InviteMemberRequest, { email: 'bob', role: 'viewer' }, { path: 'email' });
    expectRejected(ChangeMemberRoleRequest, { role: 'owner' }, { path: 'role' });
    expectAccepted(ChangeMemberRoleRequest, { role: 'viewer' });
  });

  it('describes invitations for the invitee and for the owner', () => {
    const inviter = { userId: USER_ID, name: 'Ada' };
    expectAccepted(InvitationDto, {
      id: INVITATION_ID,
      documentId: DOC_ID,
      documentTitle: 'Plan',
      role: 'editor',
      invitedBy: inviter,
      expiresAt: '2025-03-08T10:00:00Z',
    });
    const sent = {
      id: INVITATION_ID,
      documentId: DOC_ID,
      email: 'bob@example.com',
      role: 'viewer',
      invitedBy: inviter,
      expiresAt: '2025-03-08T10:00:00Z',
    };
    expectAccepted(SentInvitation, { ...sent, token: 'tok_abc' });
    expectAccepted(MemberList, {
      members: [{ userId: USER_ID, email: 'ada@example.com', name: 'Ada', color: '#abcdef', role: 'owner' }],
      invitations: [sent],
    });
  });

  it('accepts an invitation by its token only', () => {
    expectAccepted(AcceptInvitationRequest, { token: 'tok_abc' });
    expectRejected(AcceptInvitationRequest, { token: '' }, { path: 'token' });
    expectRejected(AcceptInvitationRequest, { token: 'tok', role: 'owner' }, { path: '(root)' });
  });
});
