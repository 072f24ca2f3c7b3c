import {
  DEFAULT_NOTIFICATION_PAGE,
  type MarkNotificationsRead,
  type NotificationList,
  type NotificationListQuery,
  type UnreadCount,
} from '@collab/contracts';
import { listNotifications, markNotificationsRead, unreadNotificationCount } from '@collab/persistence';
import type { DataSource } from 'typeorm';
import { toNotificationDto } from './comment-dto';

/**
 * A user's inbox. Only entries the user may still see are listed and
 * counted: on a document that is not deleted, of which they are a member,
 * for a comment that is not deleted.
 */
export class NotificationsService {
  constructor(private readonly dataSource: DataSource) {}

  async list(userId: string, query: NotificationListQuery): Promise<NotificationList> {
    const manager = this.dataSource.manager;
    const rows = await listNotifications(manager, userId, {
      limit: query.limit ?? DEFAULT_NOTIFICATION_PAGE,
      unreadOnly: query.unread === 'true',
    });
    return {
      notifications: rows.map(toNotificationDto),
      unreadCount: await unreadNotificationCount(manager, userId),
    };
  }

  async unreadCount(userId: string): Promise<UnreadCount> {
    return { unreadCount: await unreadNotificationCount(this.dataSource.manager, userId) };
  }

  async markRead(userId: string, request: MarkNotificationsRead): Promise<UnreadCount> {
    const which = 'all' in request ? 'all' : { ids: request.ids.map((id) => id.toLowerCase()) };
    await markNotificationsRead(this.dataSource.manager, userId, which);
    return this.unreadCount(userId);
  }
}
