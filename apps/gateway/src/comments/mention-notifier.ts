import { AppError, ErrorCode } from '@collab/contracts';
import {
  findNotification,
  findUser,
  insertMentionNotifications,
  membersAmong,
  setMentions,
  unreadNotificationCount,
} from '@collab/persistence';
import type { Logger } from 'pino';
import type { DataSource, EntityManager } from 'typeorm';
import { toNotificationDto } from './comment-dto';
import type { MailQueue } from '../mail/mail-queue';
import type { CommentEvents } from './comment-events';

/** Where a comment is, and who wrote it. */
export interface MentionSite {
  readonly docId: string;
  readonly threadId: string;
  readonly commentId: string;
  readonly actorId: string;
}

/** The notifications one write made, by user, to announce once it is committed. */
export type Notified = ReadonlyMap<string, string>;

/**
 * Mentions and their notifications. A mention must name a member of the
 * document (MENTION_NOT_MEMBER otherwise, before anything is written).
 * Each newly mentioned person but the author gets one notification per
 * comment, announced live to their sockets after the commit, and one mail
 * (queued for the snapshot worker, which sends it or, without SMTP, logs it).
 */
export class MentionNotifier {
  constructor(
    private readonly dataSource: DataSource,
    private readonly events: CommentEvents,
    private readonly mail: MailQueue,
    private readonly log: Logger,
  ) {}

  async checkMembers(docId: string, userIds: readonly string[]): Promise<void> {
    const lower = userIds.map((id) => id.toLowerCase());
    const members = await membersAmong(this.dataSource.manager, docId, lower);
    const strangers = lower.filter((id) => !members.has(id));
    if (strangers.length > 0) {
      throw new AppError(ErrorCode.MENTION_NOT_MEMBER, undefined, { details: { userIds: strangers } });
    }
  }

  /** Inside the comment's transaction: stores the mentions, notifies the newly mentioned. */
  async record(tx: EntityManager, site: MentionSite, userIds: readonly string[]): Promise<Notified> {
    const added = await setMentions(
      tx,
      site.commentId,
      userIds.map((id) => id.toLowerCase()),
    );
    return insertMentionNotifications(tx, {
      documentId: site.docId,
      threadId: site.threadId,
      commentId: site.commentId,
      actorId: site.actorId,
      userIds: added.filter((id) => id !== site.actorId),
    });
  }

  /** After the commit: each notified user's sockets hear of it, with their unread count, and a mail is queued. */
  async announce(notified: Notified): Promise<void> {
    for (const [userId, notificationId] of notified) {
      try {
        const manager = this.dataSource.manager;
        const notification = await findNotification(manager, notificationId);
        if (!notification) continue;
        const unreadCount = await unreadNotificationCount(manager, userId);
        this.events.toUser(userId, { notification: toNotificationDto(notification), unreadCount });
        const recipient = await findUser(manager, userId);
        if (!recipient) continue;
        await this.mail.mention({
          kind: 'mention',
          to: recipient.email,
          recipientName: recipient.name,
          actorName: notification.actor.name,
          docId: notification.documentId,
          documentTitle: notification.documentTitle,
          threadId: notification.threadId,
          commentId: notification.commentId,
          notificationId: notification.id,
          body: notification.body,
        });
      } catch (error) {
        // The notification is stored; the inbox shows it on the next read.
        this.log.warn({ err: error, userId }, 'cannot announce a notification');
      }
    }
  }
}
