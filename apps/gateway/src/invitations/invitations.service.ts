import {
  type AcceptInvitationResult,
  AppError,
  ErrorCode,
  type InvitableRole,
  ROLE_RANK,
  type InvitationList,
  type Role,
} from '@collab/contracts';
import {
  claimInvitation,
  findUser,
  insertMember,
  type InvitationKey,
  invitationStatus,
  invitationsForEmail,
  lockMemberRole,
  setMemberRole,
} from '@collab/persistence';
import type { DataSource, EntityManager } from 'typeorm';
import type { AccessNoticePublisher } from '../access/access-notices.publisher';
import { hashSecretToken } from '../accounts/secret-token';
import type { DocumentCache } from '../documents/document-cache';
import type { DocumentsService } from '../documents/documents.service';

/** Which invitation an accept names: its link token, or its id from the invited person's list. */
type InvitationSelector = { token: string } | { id: string };

/**
 * Invitations as the invited person sees them: the pending ones for their
 * account's email, and accepting one (by link token or from the list).
 *
 * Single use is enforced by one conditional UPDATE (not accepted yet, not
 * expired, for this email, document not deleted): of two concurrent accepts
 * exactly one matches a row. Only on a miss is the row read again, to say
 * why (expired, or invalid for any other reason).
 */
export class InvitationsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly documents: DocumentsService,
    private readonly cache: DocumentCache,
    private readonly notices: AccessNoticePublisher,
  ) {}

  /** Pending, unexpired invitations addressed to the caller's email. */
  async pending(userId: string): Promise<InvitationList> {
    const email = await this.emailOf(userId);
    const received = await invitationsForEmail(this.dataSource.manager, email);
    return {
      invitations: received.map((invitation) => ({
        ...invitation,
        expiresAt: invitation.expiresAt.toISOString(),
      })),
    };
  }

  /** Accepts an invitation for the caller; the caller becomes a member with its role. */
  async accept(userId: string, selector: InvitationSelector): Promise<AcceptInvitationResult> {
    const email = await this.emailOf(userId);
    const outcome = await this.dataSource.transaction(async (manager) => {
      const key = invitationKey(selector);
      const invitation = await claimInvitation(manager, key, email, userId);
      if (!invitation) return { kind: 'refused', code: await this.whyRefused(manager, key, email) } as const;
      const granted = await this.grant(manager, invitation.documentId, userId, invitation.role);
      return { kind: 'accepted', docId: invitation.documentId, ...granted } as const;
    });
    if (outcome.kind === 'refused') throw new AppError(outcome.code);
    await this.cache.invalidate({
      userIds: await this.documents.memberIds(outcome.docId),
      docIds: [outcome.docId],
    });
    if (outcome.changed) await this.notices.accessChanged(outcome.docId, userId, outcome.role);
    return { documentId: outcome.docId, role: outcome.role };
  }

  /**
   * Makes the user a member. Someone who already is keeps their role,
   * except that an invitation to a role that may do more upgrades it (an
   * editor invitation upgrades a viewer or a commenter, a commenter
   * invitation a viewer); nobody is downgraded by accepting, and the owner
   * stays owner.
   */
  private async grant(
    manager: EntityManager,
    docId: string,
    userId: string,
    role: InvitableRole,
  ): Promise<{ role: Role; changed: boolean }> {
    const current = await lockMemberRole(manager, docId, userId);
    if (current === null) {
      await insertMember(manager, docId, userId, role);
      return { role, changed: true };
    }
    if (ROLE_RANK[role] > ROLE_RANK[current]) {
      await setMemberRole(manager, docId, userId, role);
      return { role, changed: true };
    }
    return { role: current, changed: false };
  }

  private async whyRefused(
    manager: EntityManager,
    key: InvitationKey,
    email: string,
  ): Promise<typeof ErrorCode.INVITATION_EXPIRED | typeof ErrorCode.INVITATION_INVALID> {
    const status = await invitationStatus(manager, key, email);
    // Only the invited person learns that it expired; a used one stays invalid once past expiry too.
    return status && status.forEmail && status.expired && !status.accepted
      ? ErrorCode.INVITATION_EXPIRED
      : ErrorCode.INVITATION_INVALID;
  }

  private async emailOf(userId: string): Promise<string> {
    const user = await findUser(this.dataSource.manager, userId);
    if (!user) throw new AppError(ErrorCode.UNAUTHENTICATED, 'This account no longer exists.');
    return user.email;
  }
}

/** The stored key of the invitation an accept names: a link token is looked up by its hash. */
function invitationKey(selector: InvitationSelector): InvitationKey {
  return 'token' in selector ? { tokenHash: hashSecretToken(selector.token) } : { id: selector.id };
}
