import { z } from 'zod';
import { CorrelationId, DocId, UserId } from '../common/ids';
import { RoleSchema } from '../common/roles';

/*
 * Notices between gateways, on `redisKeys(prefix).gatewayNotices`. The
 * gateway that changes a role (REST) publishes one; every gateway applies it
 * to its own sockets within a second: it refreshes the cached role (so the
 * next operation is checked against it), emits `access:changed`, or takes
 * the socket out of the room and emits `access:revoked`.
 */

/** Kinds of gateway notice. */
export const GatewayNoticeType = {
  /** A member's role changed, or the member was removed. */
  AccessChanged: 'access:changed',
  /** A document was deleted: every member loses access. */
  DocumentDeleted: 'document:deleted',
  /** A sign-in session ended (signed out, or its refresh token was replayed): its sockets close. */
  SessionEnded: 'session:ended',
} as const;

/** One of the values of {@link GatewayNoticeType}. */
export type GatewayNoticeType = (typeof GatewayNoticeType)[keyof typeof GatewayNoticeType];

/** `userId`'s role on `docId` is now `role`; `null` means removed. */
export const AccessChangedNotice = z.object({
  type: z.literal(GatewayNoticeType.AccessChanged),
  docId: DocId,
  userId: UserId,
  role: RoleSchema.nullable(),
  correlationId: CorrelationId.optional(),
});
/** See {@link AccessChangedNotice}. */
export type AccessChangedNotice = z.infer<typeof AccessChangedNotice>;

/** `docId` was deleted. */
export const DocumentDeletedNotice = z.object({
  type: z.literal(GatewayNoticeType.DocumentDeleted),
  docId: DocId,
  correlationId: CorrelationId.optional(),
});
/** See {@link DocumentDeletedNotice}. */
export type DocumentDeletedNotice = z.infer<typeof DocumentDeletedNotice>;

/**
 * The sign-in session `sessionId` (the `sid` claim of its access tokens)
 * ended: sockets opened with its tokens are told `session:closed`
 * (`SIGNED_OUT`) and closed, without waiting for the token to expire.
 */
export const SessionEndedNotice = z.object({
  type: z.literal(GatewayNoticeType.SessionEnded),
  sessionId: z.uuid(),
  correlationId: CorrelationId.optional(),
});
/** See {@link SessionEndedNotice}. */
export type SessionEndedNotice = z.infer<typeof SessionEndedNotice>;

/** Any notice between gateways, discriminated on `type`. */
export const GatewayNotice = z.discriminatedUnion('type', [
  AccessChangedNotice,
  DocumentDeletedNotice,
  SessionEndedNotice,
]);
/** See {@link GatewayNotice}. */
export type GatewayNotice = z.infer<typeof GatewayNotice>;
