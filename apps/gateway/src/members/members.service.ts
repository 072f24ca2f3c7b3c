import {
  AppError,
  canManage,
  ErrorCode,
  type InvitableRole,
  type MemberDto,
  type MemberList,
  type Role,
  Role as Roles,
  type SentInvitation,
} from '@collab/contracts';
import { InvitationEntity, normalizeEmail } from '@collab/persistence';
import type { DataSource } from 'typeorm';
import type { AccessNoticePublisher } from '../access/access-notices.publisher';
import { newSecretToken } from '../accounts/secret-token';
import type { DocumentAccess } from '../documents/document-access';
import type { DocumentCache } from '../documents/document-cache';
import type { DocumentsService } from '../documents/documents.service';

interface MemberRow {
  user_id: string;
  email: string;
  name: string;
  color: string;
  role: Role;
}

interface InvitationRow {
  id: string;
  document_id: string;
  email: string;
  role: InvitableRole;
  invited_by: string;
  inviter_name: string;
  expires_at: Date;
}

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
  ) {}

  /** Members (owner first); pending invitations only for the owner, who manages them. */
  async list(userId: string, docId: string): Promise<MemberList> {
    const role = await this.access.require(userId, docId, () => true);
    const members: MemberRow[] = await this.dataSource.query(
      `SELECT u.id AS user_id, u.email, u.name, u.color, m.role
       FROM document_members m JOIN users u ON u.id = m.user_id
       WHERE m.document_id = $1
       ORDER BY (m.role = 'owner') DESC, m.created_at, u.id`,
      [docId],
    );
    const invitations = canManage(role) ? await this.pendingInvitations(docId) : [];
    return { members: members.map(toMemberDto), invitations };
  }

  /**
   * Invites `email` (owner only). An earlier pending invitation for the same
   * email is replaced (its link stops working); inviting a member is a
   * CONFLICT. The answer carries the link token, which is stored only hashed.
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
      const existing: unknown[] = await manager.query(
        `SELECT 1 FROM document_members m JOIN users u ON u.id = m.user_id
         WHERE m.document_id = $1 AND u.email = $2`,
        [docId, email],
      );
      if (existing.length > 0) throw new AppError(ErrorCode.CONFLICT, 'This person is already a member.');
      await manager.query(
        'DELETE FROM invitations WHERE document_id = $1 AND email = $2 AND accepted_at IS NULL',
        [docId, email],
      );
      const inserted = await manager.getRepository(InvitationEntity).insert({
        documentId: docId,
        email,
        role,
        tokenHash: hash,
        invitedBy: userId,
        expiresAt: new Date(Date.now() + this.invitationTtlSeconds * 1000),
        acceptedAt: null,
        acceptedBy: null,
      });
      return (inserted.identifiers[0] as { id: string }).id;
    });
    const [sent] = await this.pendingInvitations(docId, id);
    if (!sent) throw new AppError(ErrorCode.INTERNAL);
    return { ...sent, token };
  }

  /** Withdraws a pending invitation (owner only); its link stops working. */
  async revokeInvitation(userId: string, docId: string, invitationId: string): Promise<void> {
    await this.access.require(userId, docId, canManage);
    const [, deleted]: [unknown[], number] = await this.dataSource.query(
      'DELETE FROM invitations WHERE id = $1 AND document_id = $2 AND accepted_at IS NULL',
      [invitationId, docId],
    );
    if (deleted === 0) throw new AppError(ErrorCode.NOT_FOUND, 'No such pending invitation.');
  }

  /** Changes a member's role (owner only; the owner's role cannot change). */
  async changeRole(userId: string, docId: string, memberId: string, role: InvitableRole): Promise<MemberDto> {
    await this.access.require(userId, docId, canManage);
    const rows: [MemberRow[], number] = await this.dataSource.query(
      `UPDATE document_members m SET role = $3, updated_at = now()
       FROM users u
       WHERE m.document_id = $1 AND m.user_id = $2 AND u.id = m.user_id AND m.role <> 'owner'
       RETURNING u.id AS user_id, u.email, u.name, u.color, m.role`,
      [docId, memberId, role],
    );
    const [updated] = rows[0];
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
    const [, deleted]: [unknown[], number] = await this.dataSource.query(
      `DELETE FROM document_members WHERE document_id = $1 AND user_id = $2 AND role <> 'owner'`,
      [docId, memberId],
    );
    if (deleted === 0) throw await this.whyNotChangeable(docId, memberId);
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
    const rows: InvitationRow[] = await this.dataSource.query(
      `SELECT i.id, i.document_id, i.email, i.role, i.invited_by, u.name AS inviter_name, i.expires_at
       FROM invitations i JOIN users u ON u.id = i.invited_by
       WHERE i.document_id = $1 AND i.accepted_at IS NULL AND i.expires_at > now()
         AND ($2::uuid IS NULL OR i.id = $2::uuid)
       ORDER BY i.created_at, i.id`,
      [docId, onlyId ?? null],
    );
    return rows.map((row) => ({
      id: row.id,
      documentId: row.document_id,
      email: row.email,
      role: row.role,
      invitedBy: { userId: row.invited_by, name: row.inviter_name },
      expiresAt: row.expires_at.toISOString(),
    }));
  }
}

function toMemberDto(row: MemberRow): MemberDto {
  return { userId: row.user_id, email: row.email, name: row.name, color: row.color, role: row.role };
}
