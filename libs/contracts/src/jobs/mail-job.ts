import { z } from 'zod';
import { CorrelationId, DocId, IsoDateTime } from '../common/ids';
import { InvitableRoleSchema } from '../common/roles';
import { MAX_COMMENT_LENGTH, MAX_NAME_LENGTH, MAX_TITLE_LENGTH, MAX_TOKEN_LENGTH } from '../limits';
import { Email } from '../rest/auth.dto';

/*
 * Mail jobs: the gateway queues one per email to send (a mention, an
 * invitation), the snapshot worker's mail processor renders and sends it.
 * The payload carries the facts as they were when the event happened (names,
 * title, the comment's text), so the worker needs no database read and a
 * retry sends the same mail. The worker renders the text and HTML and builds
 * the links from its PUBLIC_APP_URL; user content is escaped there.
 */

/** Text fields of a mail payload: names and titles as stored (never HTML). */
const Name = z.string().min(1).max(MAX_NAME_LENGTH);
const Title = z.string().max(MAX_TITLE_LENGTH);

/** `actorName` mentioned `to` in a comment of thread `threadId` of document `docId`. */
export const MentionMail = z.strictObject({
  kind: z.literal('mention'),
  to: Email,
  recipientName: Name,
  actorName: Name,
  docId: DocId,
  documentTitle: Title,
  threadId: z.uuid(),
  commentId: z.uuid(),
  /** The in-app notification this mail doubles. */
  notificationId: z.uuid(),
  /** The comment's text, plain (shown as text, never interpreted as HTML). */
  body: z.string().max(MAX_COMMENT_LENGTH),
  correlationId: CorrelationId.optional(),
});
/** See {@link MentionMail}. */
export type MentionMail = z.infer<typeof MentionMail>;

/** `inviterName` invited `to` to document `docId` with `role`; `token` is the link's secret. */
export const InvitationMail = z.strictObject({
  kind: z.literal('invitation'),
  to: Email,
  inviterName: Name,
  docId: DocId,
  documentTitle: Title,
  invitationId: z.uuid(),
  role: InvitableRoleSchema,
  /** The invitation link's token (stored hashed in PostgreSQL; carried here only until the mail is sent). */
  token: z.string().min(1).max(MAX_TOKEN_LENGTH),
  expiresAt: IsoDateTime,
  correlationId: CorrelationId.optional(),
});
/** See {@link InvitationMail}. */
export type InvitationMail = z.infer<typeof InvitationMail>;

/**
 * Payload of a `mail` job. A poison payload (one this schema refuses) fails
 * at once, without retries, and counts as a dead letter.
 */
export const MailJobData = z.discriminatedUnion('kind', [MentionMail, InvitationMail]);
/** See {@link MailJobData}. */
export type MailJobData = z.infer<typeof MailJobData>;

/**
 * The BullMQ job id of the mail of mention notification `notificationId`:
 * a notification announced twice still sends one mail. (Invitation mails
 * take BullMQ's generated ids: each invitation made sends one.)
 */
export function mentionMailJobId(notificationId: string): string {
  if (!z.uuid().safeParse(notificationId).success)
    throw new RangeError(`Invalid notification id ${JSON.stringify(notificationId)}`);
  return `mail-mention-${notificationId.toLowerCase()}`;
}
