import { z } from 'zod';
import { Color, DisplayName, DocId, IsoDateTime, UserId } from '../common/ids';
import { InvitableRoleSchema, RoleSchema } from '../common/roles';
import { MAX_TOKEN_LENGTH } from '../limits';
import { Email } from './auth.dto';
import { Title } from './documents.dto';

/** Invite someone by email as an editor or a viewer (owner only). Answers {@link SentInvitation}. */
export const InviteMemberRequest = z.strictObject({
  email: Email,
  role: InvitableRoleSchema,
});
/** See {@link InviteMemberRequest}. */
export type InviteMemberRequest = z.infer<typeof InviteMemberRequest>;

/** Change a member's role (owner only; the owner's own role cannot change). Answers {@link MemberDto}. */
export const ChangeMemberRoleRequest = z.strictObject({
  role: InvitableRoleSchema,
});
/** See {@link ChangeMemberRoleRequest}. */
export type ChangeMemberRoleRequest = z.infer<typeof ChangeMemberRoleRequest>;

/** A member of a document. */
export const MemberDto = z.object({
  userId: UserId,
  email: Email,
  name: DisplayName,
  color: Color,
  role: RoleSchema,
});
/** See {@link MemberDto}. */
export type MemberDto = z.infer<typeof MemberDto>;

/** Who sent an invitation. */
export const Inviter = z.object({
  userId: UserId,
  name: DisplayName,
});
/** See {@link Inviter}. */
export type Inviter = z.infer<typeof Inviter>;

/**
 * An invitation as the invited person sees it, in their list of pending
 * invitations (matched on their account's email) after sign-up or sign-in.
 */
export const InvitationDto = z.object({
  id: z.uuid(),
  documentId: DocId,
  documentTitle: Title,
  role: InvitableRoleSchema,
  invitedBy: Inviter,
  expiresAt: IsoDateTime,
});
/** See {@link InvitationDto}. */
export type InvitationDto = z.infer<typeof InvitationDto>;

/** The invitations waiting for the caller. */
export const InvitationList = z.object({
  invitations: z.array(InvitationDto),
});
/** See {@link InvitationList}. */
export type InvitationList = z.infer<typeof InvitationList>;

/**
 * An invitation as the owner sees it. `token` (the secret of the invitation
 * link) is present only in the answer to the invite itself; lists omit it.
 */
export const SentInvitation = z.object({
  id: z.uuid(),
  documentId: DocId,
  email: Email,
  role: InvitableRoleSchema,
  invitedBy: Inviter,
  expiresAt: IsoDateTime,
  token: z.string().min(1).max(MAX_TOKEN_LENGTH).optional(),
});
/** See {@link SentInvitation}. */
export type SentInvitation = z.infer<typeof SentInvitation>;

/** A document's members (owner first) and its pending invitations. */
export const MemberList = z.object({
  members: z.array(MemberDto),
  invitations: z.array(SentInvitation),
});
/** See {@link MemberList}. */
export type MemberList = z.infer<typeof MemberList>;

/**
 * Accept an invitation by its link token: single use, refused with
 * INVITATION_INVALID when unknown, used, or for another email, and
 * INVITATION_EXPIRED after expiry. Answers {@link AcceptInvitationResult}.
 */
export const AcceptInvitationRequest = z.strictObject({
  token: z.string().min(1).max(MAX_TOKEN_LENGTH),
});
/** See {@link AcceptInvitationRequest}. */
export type AcceptInvitationRequest = z.infer<typeof AcceptInvitationRequest>;

/** The document the accepted invitation opened, and the role it granted. */
export const AcceptInvitationResult = z.object({
  documentId: DocId,
  role: RoleSchema,
});
/** See {@link AcceptInvitationResult}. */
export type AcceptInvitationResult = z.infer<typeof AcceptInvitationResult>;
