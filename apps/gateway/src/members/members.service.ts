import {
  AppError,
  canManage,
  ErrorCode,
  type InvitableRole,
  type MemberDto,
  type MemberList,
  Role as Roles,
  type SentInvitation,
} from '@collab/contracts';
import {
  changeMemberRole,
  deletePendingInvitation,
  documentTitle,
  isMemberByEmail,
  listMembers,
  type MemberRecord,
  normalizeEmail,
  pendingInvitationsOf,
  removeMember,
  replacePendingInvitation,
} from '@collab/persistence';
import type { DataSource } from 'typeorm';
import type { AccessNoticePublisher } from '../access/access-notices.publisher';
import { newSecretToken } from '../accounts/secret-token';
import type { DocumentAccess } from '../documents/document-access';
import type { DocumentCache } from '../documents/document-cache';
import type { DocumentsService } from '../documents/documents.service';
import type { MailQueue } from '../mail/mail-queue';

/**
 * Who may open a document, as its owner manages it: the member list,
 * invitations by email, role changes and removals. Every change that takes
 * access away or narrows it is announced to all gateways after it commits.
 */
export class MembersService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly access: DocumentAccess,
    private readonly documents: DocumentsService,
    private readonly cache: DocumentCache,
    private readonly notices: AccessNoticePublisher,
    private readonly invitationTtlSeconds: number,
    private readonly mail: MailQueue,
  ) {}

  /** Members (owner first); pending invitations only for the owner, who manages them. */
  async list(userId: string, docId: string): Promise<MemberList> {
    const role = await this.access.require(userId, docId, () => true);
    const members = await listMembers(this.dataSource.manager, docId);
    const invitations = canManage(role) ? await this.pendingInvitations(docId) : [];
    return { members: members.map(toMemberDto), invitations };
  }

  /**
   * Invites `email` (owner only). An earlier pending invitation for the same
   * email is replaced (its link stops working); inviting a member is a
   * CONFLICT. The answer carries the link token, which is stored only hashed;
   * the invited address is mailed the link (a queued job, after the commit).
   */
  async invite(
    userId: string,
    docId: string,
    rawEmail: string,
    role: InvitableRole,
  ): Promise<SentInvitation> {
    await this.access.require(userId, docId, canManage);
    const email = normalizeEmail(rawEmail);
    const { token, hash } = newSecretToken();
    const id = await this.dataSource.transaction(async (manager) => {
      if (await isMemberByEmail(manager, docId, email)) {
        throw new AppError(ErrorCode.CONFLICT, 'This person is already a member.');
      }
      return replacePendingInvitation(manager, {
        documentId: docId,
        email,
        role,
        tokenHash: hash,
        invitedBy: userId,
        expiresAt: new Date(Date.now() + this.invitationTtlSeconds * 1000),
      });
    });
    const [sent] = await this.pendingInvitations(docId, id);
    if (!sent) throw new AppError(ErrorCode.INTERNAL);
    await this.mail.invitation({
      kind: 'invitation',
      to: sent.email,
      inviterName: sent.invitedBy.name,
      docId,
      documentTitle: (await documentTitle(this.dataSource.manager, docId)) ?? '',
      invitationId: sent.id,
      role: sent.role,
      token,
      expiresAt: sent.expiresAt,
    });
    return { ...sent, token };
  }

  /** Withdraws a pending invitation (owner only); its link stops working. */
  async revokeInvitation(userId: string, docId: string, invitationId: string): Promise<void> {
    await this.access.require(userId, docId, canManage);
    const deleted = await deletePendingInvitation(this.dataSource.manager, docId, invitationId);
    if (!deleted) throw new AppError(ErrorCode.NOT_FOUND, 'No such pending invitation.');
  }

  /** Changes a member's role (owner only; the owner's role cannot change). */
  async changeRole(userId: string, docId: string, memberId: string, role: InvitableRole): Promise<MemberDto> {
    await this.access.require(userId, docId, canManage);
    const updated = await changeMemberRole(this.dataSource.manager, docId, memberId, role);
    if (!updated) throw await this.whyNotChangeable(docId, memberId);
    await this.cache.invalidate({ userIds: [memberId] });
    await this.notices.accessChanged(docId, memberId, role);
    return toMemberDto(updated);
  }

  /**
   * Removes a member: the owner removes anyone but themselves; any other
   * member may remove themselves (leave). The owner cannot be removed.
   */
  async remove(userId: string, docId: string, memberId: string): Promise<void> {
    const leaving = userId === memberId;
    const role = await this.access.require(userId, docId, (r) => leaving || canManage(r));
    if (leaving && role === Roles.Owner) throw new AppError(ErrorCode.CANNOT_REMOVE_OWNER);
    const removed = await removeMember(this.dataSource.manager, docId, memberId);
    if (!removed) throw await this.whyNotChangeable(docId, memberId);
    await this.cache.invalidate({
      userIds: [...(await this.documents.memberIds(docId)), memberId],
      docIds: [docId],
    });
    await this.notices.accessChanged(docId, memberId, null);
  }

  /** CANNOT_REMOVE_OWNER for the owner, NOT_FOUND for someone who is not a member. */
  private async whyNotChangeable(docId: string, memberId: string): Promise<AppError> {
    const role = await this.access.roleOf(memberId, docId);
    return role === Roles.Owner
      ? new AppError(ErrorCode.CANNOT_REMOVE_OWNER)
      : new AppError(ErrorCode.NOT_FOUND, 'No such member.');
  }

  private async pendingInvitations(docId: string, onlyId?: string): Promise<SentInvitation[]> {
    const pending = await pendingInvitationsOf(this.dataSource.manager, docId, onlyId);
    return pending.map((invitation) => ({ ...invitation, expiresAt: invitation.expiresAt.toISOString() }));
  }
}

function toMemberDto(member: MemberRecord): MemberDto {
  return {
    userId: member.userId,
    email: member.email,
    name: member.name,
    color: member.color,
    role: member.role,
  };
}
