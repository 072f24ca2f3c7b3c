import {
  AccessRevokedReason,
  docRoom,
  GatewayNotice,
  GatewayNoticeType,
  parseJson,
  type RedisKeys,
  type Role,
  ServerEvent,
  userRoom,
} from '@collab/contracts';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { Server, Socket } from 'socket.io';
import type { PresenceService } from '../presence/presence.service';
import type { SocketState } from '../realtime/socket-state';

/**
 * Applies access notices (see AccessNoticePublisher) to this gateway's own
 * sockets, within a second of the change:
 *
 * - a new role is recorded on the socket and announced (`access:changed`);
 *   operations re-read the role from PostgreSQL anyway, so a downgraded
 *   editor is refused even before the notice arrives;
 * - a removal or a deleted document takes the socket out of the document's
 *   room (no further operations or carets reach it), forgets the join
 *   (catch-up and presence answer NOT_JOINED), removes its caret for the
 *   others, and tells it why (`access:revoked`).
 *
 * A socket still in the middle of `join` is in the room but not yet in
 * `state.docs`: it is taken out of the room too, and the join notices that
 * and refuses (see CollabGateway.join).
 */
export class AccessRevocations {
  private server: Server | undefined;
  private readonly subscriber: Redis;

  constructor(
    redis: Redis,
    private readonly keys: RedisKeys,
    private readonly presence: PresenceService,
    private readonly log: Logger,
  ) {
    this.subscriber = redis.duplicate({ connectionName: 'gateway-notices' });
    this.subscriber.on('error', (error: Error) => log.warn({ err: error }, 'notice subscriber error'));
    this.subscriber.on('message', (channel: string, message: string) => {
      if (channel === this.keys.gatewayNotices) this.receive(message);
    });
  }

  /** Starts applying notices to `server`'s sockets. */
  async attach(server: Server): Promise<void> {
    this.server = server;
    await this.subscriber.subscribe(this.keys.gatewayNotices);
  }

  /** Called by Nest when the app closes. */
  onApplicationShutdown(): void {
    this.subscriber.disconnect();
  }

  private receive(message: string): void {
    const parsed = parseJson(GatewayNotice, message);
    if (!parsed.ok) {
      this.log.warn({ error: parsed.error }, 'malformed gateway notice dropped');
      return;
    }
    const notice = parsed.value;
    switch (notice.type) {
      case GatewayNoticeType.AccessChanged:
        for (const socket of this.localSockets(userRoom(notice.userId))) {
          if (notice.role === null) this.revoke(socket, notice.docId, AccessRevokedReason.MemberRemoved);
          else this.changeRole(socket, notice.docId, notice.role);
        }
        break;
      case GatewayNoticeType.DocumentDeleted:
        for (const socket of this.localSockets(docRoom(notice.docId))) {
          this.revoke(socket, notice.docId, AccessRevokedReason.DocumentDeleted);
        }
        break;
    }
  }

  /** This gateway's sockets in `room` (the adapter's `rooms` holds local members only). */
  private localSockets(room: string): Socket[] {
    const namespace = this.server?.of('/');
    const ids = namespace?.adapter.rooms.get(room);
    if (!namespace || !ids) return [];
    return [...ids].flatMap((id) => namespace.sockets.get(id) ?? []);
  }

  private changeRole(socket: Socket, docId: string, role: Role): void {
    const state = socket.data as SocketState;
    if (!state.docs?.has(docId)) return;
    state.docs.set(docId, role);
    socket.emit(ServerEvent.AccessChanged, { docId, role });
  }

  private revoke(socket: Socket, docId: string, reason: AccessRevokedReason): void {
    const state = socket.data as SocketState;
    const room = docRoom(docId);
    const joined = state.docs?.delete(docId) ?? false;
    if (!joined && !socket.rooms.has(room)) return;
    void socket.leave(room);
    if (this.server) this.presence.leave(this.server, docId, socket.id);
    if (joined) socket.emit(ServerEvent.AccessRevoked, { docId, reason });
  }
}
