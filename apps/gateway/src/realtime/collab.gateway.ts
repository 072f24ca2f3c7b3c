import { randomUUID } from 'node:crypto';
import {
  AppError,
  canEdit,
  CatchupRequest,
  catchupLimit,
  ClientEvent,
  docRoom,
  ErrorCode,
  JoinRequest,
  type JoinResult,
  LeaveRequest,
  OpRequest,
  type OpResult,
  parse,
  PresenceUpdate,
  type CatchupResult,
  userRoom,
  type Role,
} from '@collab/contracts';
import { renderDocumentHtml } from '@collab/rich-text';
import { Inject, type OnModuleDestroy } from '@nestjs/common';
import {
  Ack,
  ConnectedSocket,
  MessageBody,
  type OnGatewayConnection,
  type OnGatewayDisconnect,
  type OnGatewayInit,
  SubscribeMessage,
  WebSocketGateway,
  WebSocketServer,
} from '@nestjs/websockets';
import type { z } from 'zod';
import type { Logger } from 'pino';
import type { Server, Socket } from 'socket.io';
import { AccessRevocations } from '../access/access-revocations';
import { CommentEvents } from '../comments/comment-events';
import { RoleRecheck } from '../access/role-recheck';
import { JwtStrategy } from '../auth/jwt.strategy';
import { socketAuthMiddleware } from '../auth/socket-auth.middleware';
import { GATEWAY_CONFIG, GATEWAY_LOGGER } from '../config/config.token';
import type { GatewayConfig } from '../config/env';
import { OpRateLimiter } from '../limits/op-rate-limiter';
import { SocketGuard } from '../limits/socket-guard';
import { DocumentAccess } from '../documents/document-access';
import { PresenceService } from '../presence/presence.service';
import { SocketEventObserver } from '../metrics/socket-event-observer';
import { DocRouter } from '../routing/doc-router';
import { SlowConsumerReaper } from './slow-consumer-reaper';
import { recordMessageLength, SocketAcks } from './socket-acks';
import type { SocketState } from './socket-state';

/**
 * The real-time edge. Only the declared client events have handlers; each
 * validates its payload with the contracts schema, answers through the ack
 * (`{ok: true, ...}` or `{ok: false, error}`, SocketAcks) and never throws: whatever a
 * client sends, the process keeps running. An event sent without an ack
 * callback is dropped: there is nobody to answer, and an unanswerable
 * operation would only be resent.
 */
@WebSocketGateway()
export class CollabGateway
  implements OnGatewayInit<Server>, OnGatewayConnection<Socket>, OnGatewayDisconnect<Socket>, OnModuleDestroy
{
  @WebSocketServer() server!: Server;

  constructor(
    @Inject(JwtStrategy) private readonly strategy: JwtStrategy,
    @Inject(DocRouter) private readonly router: DocRouter,
    @Inject(DocumentAccess) private readonly access: DocumentAccess,
    @Inject(PresenceService) private readonly presence: PresenceService,
    @Inject(AccessRevocations) private readonly revocations: AccessRevocations,
    @Inject(CommentEvents) private readonly commentEvents: CommentEvents,
    @Inject(SocketGuard) private readonly guard: SocketGuard,
    @Inject(OpRateLimiter) private readonly opLimiter: OpRateLimiter,
    @Inject(GATEWAY_LOGGER) private readonly log: Logger,
    @Inject(SocketEventObserver) private readonly observer: SocketEventObserver,
    @Inject(GATEWAY_CONFIG) private readonly config: GatewayConfig,
  ) {
    this.roleRecheck = new RoleRecheck(config.ACCESS_RECHECK_SECONDS * 1000);
    this.acks = new SocketAcks(observer, guard, log);
  }

  private reaper: SlowConsumerReaper | undefined;
  private readonly roleRecheck: RoleRecheck;
  private readonly acks: SocketAcks;

  afterInit(server: Server): void {
    // Runs before the connection is accepted: an unauthenticated socket never reaches a handler.
    server.use(socketAuthMiddleware(this.strategy));
    server.use(this.guard.admission());
    this.commentEvents.attach(server);
    this.revocations.attach(server).catch((error: unknown) => {
      this.log.error({ err: error }, 'cannot subscribe to access notices');
    });
    this.reaper = new SlowConsumerReaper(
      server,
      this.config.MAX_SOCKET_BACKLOG_BYTES,
      this.config.SLOW_CONSUMER_CHECK_MS,
      this.log,
    );
    this.reaper.start();
  }

  onModuleDestroy(): void {
    this.reaper?.stop();
  }

  handleConnection(socket: Socket): void {
    const state = socket.data as SocketState;
    // Access notices find a user's sockets through this room.
    void socket.join(userRoom(state.identity.userId));
    socket.conn.on('packet', recordMessageLength);
    // The handshake (auth, headers, address) was copied onto the socket when
    // it was made, and nothing reads the HTTP request after that: let it go
    // rather than keep it for the connection's life (Socket.IO's "memory
    // usage" advice; about 1 KB per socket and what it references).
    (socket.conn as unknown as { request: unknown }).request = null;
    this.reaper?.watch(socket);
    this.guard.attach(socket);
  }

  handleDisconnect(socket: Socket): void {
    const state = socket.data as SocketState;
    for (const docId of state.docs?.keys() ?? []) this.presence.leave(this.server, docId, socket.id);
    state.docs?.clear();
    this.presence.forget(socket.id);
    this.guard.detach(socket);
    this.opLimiter.forgetSocket(socket.id);
  }

  @SubscribeMessage(ClientEvent.Join)
  join(@ConnectedSocket() socket: Socket, @MessageBody() body: unknown, @Ack() ack: unknown): Promise<void> {
    return this.acks.answer(ack, socket, ClientEvent.Join, async (): Promise<JoinResult> => {
      const { docId } = this.payload(JoinRequest, body);
      const state = socket.data as SocketState;
      const role = await this.access.roleOf(state.identity.userId, docId);
      if (role === null) throw await this.access.noRole(state.identity.userId, docId);
      const room = docRoom(docId);
      const wasIn = socket.rooms.has(room);
      // Enter the room before reading the document: every operation committed
      // after the read is then broadcast to this socket, and none falls
      // between the content and the first broadcast (the client drops
      // broadcasts at or below the version it was given).
      await socket.join(room);
      try {
        const loaded = await this.router.route({ type: 'load', docId });
        if (state.previousSessionId) {
          await this.presence.replace(this.server, docId, state.previousSessionId, state.identity.userId);
        }
        const others = await this.presence.list(this.server, docId, socket.id);
        // Access may have been taken away while the document loaded, and the
        // access notice may already have taken the socket out of the room
        // (AccessRevocations): read the role again before admitting it.
        const current = await this.access.roleOf(state.identity.userId, docId);
        if (current === null || !socket.rooms.has(room)) {
          throw await this.access.noRole(state.identity.userId, docId);
        }
        (state.docs ??= new Map()).set(docId, current);
        this.roleRecheck.read(state.identity.userId, docId);
        return {
          docId,
          version: loaded.version,
          content: loaded.content,
          // The first paint: sanitized HTML of the same content, rendered here
          // (gateways scale out) rather than on the document's owner.
          html: loaded.html ?? renderDocumentHtml(loaded.content),
          role: current,
          presence: others,
        };
      } catch (error) {
        if (!wasIn) await socket.leave(room);
        throw error;
      }
    });
  }

  @SubscribeMessage(ClientEvent.Leave)
  leave(@ConnectedSocket() socket: Socket, @MessageBody() body: unknown, @Ack() ack: unknown): Promise<void> {
    return this.acks.answer(ack, socket, ClientEvent.Leave, async () => {
      const { docId } = this.payload(LeaveRequest, body);
      const state = socket.data as SocketState;
      if (state.docs?.delete(docId)) {
        await socket.leave(docRoom(docId));
        this.presence.leave(this.server, docId, socket.id);
      }
      return {};
    });
  }

  @SubscribeMessage(ClientEvent.Op)
  op(@ConnectedSocket() socket: Socket, @MessageBody() body: unknown, @Ack() ack: unknown): Promise<void> {
    // Carried to the doc-service request, its actor and the snapshot job: their log lines share it.
    const traced = { event: ClientEvent.Op, correlationId: randomUUID() };
    return this.acks.answer(ack, socket, traced, async (): Promise<OpResult> => {
      const received = performance.now();
      // Limits first: a flooding socket is refused before any parsing or I/O.
      this.opLimiter.consumeSocket(socket.id);
      const release = this.opLimiter.enter(socket.id);
      try {
        const op = this.payload(OpRequest, body);
        const { userId } = this.joined(socket, op.docId);
        await this.opLimiter.consumeUser(userId);
        // Roles change while a document is open: the socket's copy, moved by notices.
        const role = await this.currentRole(socket.data as SocketState, userId, op.docId);
        if (role === null || !canEdit(role)) {
          throw new AppError(ErrorCode.FORBIDDEN, 'You cannot edit this document.');
        }
        // The socket id lets the owner leave this socket out of a broadcast that
        // holds only its own operation: this ack acknowledges it.
        const sent = performance.now();
        const result = await this.router.route(
          { type: 'op', userId, ...op, socketId: socket.id },
          traced.correlationId,
        );
        this.observer.opStage('checks', (sent - received) / 1000);
        this.observer.opStage('route', (performance.now() - sent) / 1000);
        return result;
      } finally {
        release();
      }
    });
  }

  @SubscribeMessage(ClientEvent.Catchup)
  catchup(
    @ConnectedSocket() socket: Socket,
    @MessageBody() body: unknown,
    @Ack() ack: unknown,
  ): Promise<void> {
    return this.acks.answer(ack, socket, ClientEvent.Catchup, async (): Promise<CatchupResult> => {
      const request = this.payload(CatchupRequest, body);
      this.joined(socket, request.docId);
      return this.router.route({
        type: 'catchup',
        docId: request.docId,
        fromVersion: request.fromVersion,
        limit: catchupLimit(request),
      });
    });
  }

  @SubscribeMessage(ClientEvent.Presence)
  presenceUpdate(
    @ConnectedSocket() socket: Socket,
    @MessageBody() body: unknown,
    @Ack() ack: unknown,
  ): Promise<void> {
    return this.acks.answer(ack, socket, ClientEvent.Presence, async () => {
      const update = this.payload(PresenceUpdate, body);
      const state = socket.data as SocketState;
      this.joined(socket, update.docId);
      state.profile ??= (await this.access.profileOf(state.identity.userId)) ?? undefined;
      if (!state.profile) throw new AppError(ErrorCode.UNAUTHENTICATED, 'Unknown user.');
      this.presence.update(socket, {
        docId: update.docId,
        sessionId: socket.id,
        userId: state.identity.userId,
        name: state.profile.name,
        color: state.profile.color,
        version: update.version,
        selection: update.selection,
        ...(update.clientId === undefined ? {} : { clientId: update.clientId }),
      });
      return {};
    });
  }

  /**
   * The user's role for an operation: the socket's copy, which access
   * notices move within milliseconds (AccessRevocations). The backstop for a
   * lost notice: when this gateway last read the user's role on the document
   * ACCESS_RECHECK_SECONDS ago or longer (RoleRecheck explains the bound and
   * the cost), it is read again and applied to all of the user's sockets on
   * the document here, as a notice would be.
   */
  private async currentRole(state: SocketState, userId: string, docId: string): Promise<Role | null> {
    const known = state.docs?.get(docId);
    if (known !== undefined && !this.roleRecheck.due(userId, docId)) return known;
    const [now] = await this.access.rolesOf([{ userId, docId }]);
    this.roleRecheck.read(userId, docId);
    const role = now?.role ?? null;
    this.revocations.apply(userId, docId, role, now?.deleted ?? true);
    return role;
  }

  private payload<S extends z.ZodType>(schema: S, body: unknown): z.output<S> {
    const parsed = parse(schema, body);
    if (!parsed.ok) {
      throw new AppError(parsed.error.code, parsed.error.message, { details: parsed.error.details });
    }
    return parsed.value;
  }

  private joined(socket: Socket, docId: string): { userId: string } {
    const state = socket.data as SocketState;
    if (!state.docs?.has(docId)) throw new AppError(ErrorCode.NOT_JOINED);
    return state.identity;
  }
}
