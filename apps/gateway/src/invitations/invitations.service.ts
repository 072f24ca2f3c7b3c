import {
  type AcceptInvitationResult,
  AppError,
  ErrorCode,
  type InvitableRole,
  ROLE_RANK,
  type InvitationList,
  type Role,
} from '@collab/contracts';
import { UserEntity } from '@collab/persistence';
import type { DataSource, EntityManager } from 'typeorm';
import type { AccessNoticePublisher } from '../access/access-notices.publisher';
import { hashSecretToken } from '../accounts/secret-token';
import type { DocumentCache } from '../documents/document-cache';
import type { DocumentsService } from '../documents/documents.service';

interface PendingRow {
  id: string;
  document_id: string;
  title: string;
  role: InvitableRole;
  invited_by: string;
  inviter_name: string;
  expires_at: Date;
}

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
    const rows: PendingRow[] = await this.dataSource.query(
      `SELECT i.id, i.document_id, d.title, i.role, i.invited_by, u.name AS inviter_name, i.expires_at
       FROM invitations i
       JOIN documents d ON d.id = i.document_id AND d.deleted_at IS NULL
       JOIN users u ON u.id = i.invited_by
       WHERE i.email = $1 AND i.accepted_at IS NULL AND i.expires_at > now()
       ORDER BY i.created_at DESC, i.id`,
      [email],
    );
    return {
      invitations: rows.map((row) => ({
        id: row.id,
        documentId: row.document_id,
        documentTitle: row.title,
        role: row.role,
        invitedBy: { userId: row.invited_by, name: row.inviter_name },
        expiresAt: row.expires_at.toISOString(),
      })),
    };
  }

  /** Accepts an invitation for the caller; the caller becomes a member with its role. */
  async accept(userId: string, selector: InvitationSelector): Promise<AcceptInvitationResult> {
    const email = await this.emailOf(userId);
    const outcome = await this.dataSource.transaction(async (manager) => {
      const byToken = 'token' in selector;
      const [claimed]: [{ document_id: string; role: InvitableRole }[], number] = await manager.query(
        `UPDATE invitations i SET accepted_at = now(), accepted_by = $3
         WHERE ${byToken ? 'i.token_hash = $1' : 'i.id = $1::uuid'}
           AND i.email = $2 AND i.accepted_at IS NULL AND i.expires_at > now()
           AND EXISTS (SELECT 1 FROM documents d WHERE d.id = i.document_id AND d.deleted_at IS NULL)
         RETURNING i.document_id, i.role`,
        [byToken ? hashSecretToken(selector.token) : selector.id, email, userId],
      );
      const invitation = claimed[0];
      if (!invitation)
        return { kind: 'refused', code: await this.whyRefused(manager, selector, email) } as const;
      const granted = await this.grant(manager, invitation.document_id, userId, invitation.role);
      return { kind: 'accepted', docId: invitation.document_id, ...granted } as const;
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
    const before: { role: Role }[] = await manager.query(
      'SELECT role FROM document_members WHERE document_id = $1 AND user_id = $2 FOR UPDATE',
      [docId, userId],
    );
    const current = before[0]?.role;
    if (current === undefined) {
      await manager.query('INSERT INTO document_members (document_id, user_id, role) VALUES ($1, $2, $3)', [
        docId,
        userId,
        role,
      ]);
      return { role, changed: true };
    }
    if (ROLE_RANK[role] > ROLE_RANK[current]) {
      await manager.query(
        'UPDATE document_members SET role = $3, updated_at = now() WHERE document_id = $1 AND user_id = $2',
        [docId, userId, role],
      );
      return { role, changed: true };
    }
    return { role: current, changed: false };
  }

  private async whyRefused(
    manager: EntityManager,
    selector: InvitationSelector,
    email: string,
  ): Promise<typeof ErrorCode.INVITATION_EXPIRED | typeof ErrorCode.INVITATION_INVALID> {
    const rows: { expired: boolean; accepted: boolean; for_caller: boolean }[] = await manager.query(
      `SELECT expires_at <= now() AS expired, accepted_at IS NOT NULL AS accepted, email = $2 AS for_caller
       FROM invitations WHERE ${'token' in selector ? 'token_hash = $1' : 'id = $1::uuid'}`,
      ['token' in selector ? hashSecretToken(selector.token) : selector.id, email],
    );
    const row = rows[0];
    // Only the invited person learns that it expired; a used one stays invalid once past expiry too.
    return row && row.for_caller && row.expired && !row.accepted
      ? ErrorCode.INVITATION_EXPIRED
      : ErrorCode.INVITATION_INVALID;
  }

  private async emailOf(userId: string): Promise<string> {
    const user = await this.dataSource
      .getRepository(UserEntity)
      .findOne({ select: { email: true }, where: { id: userId } });
    if (!user) throw new AppError(ErrorCode.UNAUTHENTICATED, 'This account no longer exists.');
    return user.email;
  }
}
