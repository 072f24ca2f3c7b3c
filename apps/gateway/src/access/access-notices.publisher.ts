import { GatewayNotice, GatewayNoticeType, type RedisKeys, type Role } from '@collab/contracts';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';

/**
 * Tells every gateway (this one included, it subscribes like the others)
 * that someone's access to a document changed, so live sockets act on it
 * within a second rather than at their next reconnect. Publish only after
 * the change has committed: a gateway that receives the notice and re-reads
 * PostgreSQL must see it.
 */
export class AccessNoticePublisher {
  constructor(
    private readonly redis: Redis,
    private readonly keys: RedisKeys,
    private readonly log: Logger,
  ) {}

  /** `userId`'s role on `docId` is now `role` (null: removed). */
  accessChanged(docId: string, userId: string, role: Role | null): Promise<void> {
    return this.publish({ type: GatewayNoticeType.AccessChanged, docId, userId, role });
  }

  /** The sign-in session `sessionId` ended: its sockets close. */
  sessionEnded(sessionId: string): Promise<void> {
    return this.publish({ type: GatewayNoticeType.SessionEnded, sessionId });
  }

  /** `docId` was deleted: every member loses it. */
  documentDeleted(docId: string): Promise<void> {
    return this.publish({ type: GatewayNoticeType.DocumentDeleted, docId });
  }

  private async publish(notice: GatewayNotice): Promise<void> {
    try {
      await this.redis.publish(this.keys.gatewayNotices, JSON.stringify(GatewayNotice.parse(notice)));
    } catch (error) {
      // Operations still re-read the role from PostgreSQL, so a lost notice
      // never lets a removed member write; it delays only the eviction.
      this.log.error({ err: error, notice }, 'access notice not published');
    }
  }
}
