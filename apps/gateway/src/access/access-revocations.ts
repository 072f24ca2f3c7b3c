import {
  AccessRevokedReason,
  docRoom,
  GatewayNotice,
  GatewayNoticeType,
  parseJson,
  type RedisKeys,
  type Role,
  ServerEvent,
  SessionCloseReason,
  userRoom,
} from '@collab/contracts';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { Server, Socket } from 'socket.io';
import type { DocumentAccess } from '../documents/document-access';
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
 * A session that ends (sign-out, or a replayed refresh token) closes every
 * socket opened with its access tokens (`session:closed`, SIGNED_OUT).
 *
 * A socket still in the middle of `join` is in the room but not yet in
 * `state.docs`: it is taken out of the room too, and the join notices that
 * and refuses (see CollabGateway.join).
 *
 * Redis pub/sub delivers at most once: a notice published while this
 * gateway's subscriber was reconnecting is lost. So whenever the subscriber
 * (re)connects, every joined socket's role is re-read from PostgreSQL and
 * any difference is applied as if notified. There is no periodic re-read of
 * every joined socket (its cost grew with the idle sockets, bench/idle): a
 * typing user's role is re-read at most once per ACCESS_RECHECK_SECONDS
 * instead (RoleRecheck, CollabGateway.currentRole) and applied here.
 */
export class AccessRevocations {
  private server: Server | undefined;
  private readonly subscriber: Redis;

  constructor(
    redis: Redis,
    private readonly keys: RedisKeys,
    private readonly access: DocumentAccess,
    private readonly presence: PresenceService,
    gatewayId: string,
    private readonly log: Logger,
  ) {
    // Named after the gateway, so that an operator (or a test) can tell its subscriber from the others'.
    this.subscriber = redis.duplicate({
      connectionName: `gateway-notices-${gatewayId}`,
      enableAutoPipelining: false,
    });
    this.subscriber.on('error', (error: Error) => log.warn({ err: error }, 'notice subscriber error'));
    this.subscriber.on('message', (channel: string, message: string) => {
      if (channel === this.keys.gatewayNotices) this.receive(message);
    });
    // 'ready' follows every (re)connection: whatever was published meanwhile is caught up here.
    this.subscriber.on('ready', () => void this.recheckAll());
  }

  /**
   * Applies a role just read from PostgreSQL (null: none, `deleted` telling
   * why) to every socket of the user on this gateway that has the document
   * joined, as a notice would: `access:changed` or `access:revoked`.
   */
  apply(userId: string, docId: string, role: Role | null, deleted: boolean): void {
    for (const socket of this.localSockets(userRoom(userId))) {
      const known = (socket.data as SocketState).docs?.get(docId);
      if (known === undefined || known === role) continue;
      if (role === null) {
        this.revoke(
          socket,
          docId,
          deleted ? AccessRevokedReason.DocumentDeleted : AccessRevokedReason.MemberRemoved,
        );
      } else {
        this.changeRole(socket, docId, role);
      }
    }
  }

  /** Re-reads the role of every joined (socket, document) of this gateway and applies any change. */
  async recheckAll(): Promise<void> {
    const joined = this.joinedSockets();
    if (joined.length === 0) return;
    try {
      const current = await this.access.rolesOf(joined.map(({ userId, docId }) => ({ userId, docId })));
      const byPair = new Map(current.map((row) => [`${row.userId}/${row.docId}`, row]));
      for (const { socket, userId, docId, role } of joined) {
        const now = byPair.get(`${userId}/${docId}`);
        if (!now || now.role === role) continue;
        if (now.role === null) {
          this.revoke(
            socket,
            docId,
            now.deleted ? AccessRevokedReason.DocumentDeleted : AccessRevokedReason.MemberRemoved,
          );
        } else {
          this.changeRole(socket, docId, now.role);
        }
      }
    } catch (error) {
      this.log.warn({ err: error }, 'access re-check failed');
    }
  }

  private joinedSockets(): { socket: Socket; userId: string; docId: string; role: Role }[] {
    const sockets = this.server?.of('/').sockets;
    if (!sockets) return [];
    const joined: { socket: Socket; userId: string; docId: string; role: Role }[] = [];
    for (const socket of sockets.values()) {
      const state = socket.data as SocketState;
      for (const [docId, role] of state.docs ?? [])
        joined.push({ socket, userId: state.identity.userId, docId, role });
    }
    return joined;
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
      case GatewayNoticeType.SessionEnded:
        for (const socket of this.server?.of('/').sockets.values() ?? []) {
          if ((socket.data as SocketState).identity.sessionId !== notice.sessionId) continue;
          socket.emit(ServerEvent.SessionClosed, {
            reason: SessionCloseReason.SignedOut,
            message: 'This session was signed out.',
          });
          socket.disconnect(true);
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
