import type { AcceptInvitationResult, DocumentList, SentInvitation } from '@collab/contracts';
import { GatewayHarness, type RunningGateway } from './harness';

/** The email of a user made by `createUser` (from @collab/testing). */
export const emailOf = (userId: string) => `${userId}@example.test`;

/** See {@link membersGateway}. Its fields are set once its beforeAll has run. */
export interface MembersGateway {
  h: GatewayHarness;
  gateway: RunningGateway;
  /** A new document of Owner's, shared with Editor and Viewer; Stranger has no role. */
  sharedDoc(): Promise<{ owner: string; editor: string; viewer: string; stranger: string; docId: string }>;
  /** `owner` invites `email` to the document as `role`; expects 201. */
  invite(docId: string, owner: string, email: string, role?: string): Promise<SentInvitation>;
  /** `userId` accepts an invitation by its link token. */
  accept(
    userId: string,
    token: string,
  ): Promise<{ status: number; body: AcceptInvitationResult; headers: Headers }>;
  /** `userId`'s document list. */
  listOf(userId: string): Promise<DocumentList>;
}

/**
 * The stack of the member and invitation specs, for the calling spec file: a
 * harness named `label` (its private database and Redis prefix) and one
 * gateway, created in beforeAll and closed in afterAll.
 */
export function membersGateway(label: string): MembersGateway {
  const stack = {
    async sharedDoc() {
      const owner = await stack.h.createUser('Owner');
      const editor = await stack.h.createUser('Editor');
      const viewer = await stack.h.createUser('Viewer');
      const stranger = await stack.h.createUser('Stranger');
      const docId = await stack.h.createDocument(owner);
      await stack.h.addMember(docId, editor, 'editor');
      await stack.h.addMember(docId, viewer, 'viewer');
      return { owner, editor, viewer, stranger, docId };
    },
    async invite(docId: string, owner: string, email: string, role = 'editor') {
      const res = await stack.h.api<SentInvitation>(
        stack.gateway,
        'POST',
        `/documents/${docId}/invitations`,
        {
          token: stack.h.token(owner),
          body: { email, role },
        },
      );
      expect(res.status).toBe(201);
      return res.body;
    },
    accept(userId: string, token: string) {
      return stack.h.api<AcceptInvitationResult>(stack.gateway, 'POST', '/invitations/accept', {
        token: stack.h.token(userId),
        body: { token },
      });
    },
    async listOf(userId: string) {
      return (
        await stack.h.api<DocumentList>(stack.gateway, 'GET', '/documents', { token: stack.h.token(userId) })
      ).body;
    },
  } as MembersGateway;
  beforeAll(async () => {
    stack.h = await GatewayHarness.create(label);
    stack.gateway = await stack.h.startGateway();
  });
  afterAll(() => stack.h?.close());
  return stack;
}
