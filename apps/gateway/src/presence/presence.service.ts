import { docRoom, parse, PresenceState, type RedisKeys, ServerEvent } from '@collab/contracts';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { Server, Socket } from 'socket.io';

/** A document's presence hash expires this long after its last update (crashed gateways leave entries). */
const PRESENCE_TTL_SECONDS = 600;

interface Throttle {
  lastSentAt: number;
  timer: NodeJS.Timeout | undefined;
  /** The latest unsent state per document: newer updates replace older ones. */
  readonly pending: Map<string, PresenceState>;
}

/**
 * Carets and selections. Ephemeral: relayed to the document's room (through
 * the redis adapter, so other gateways' sockets get them) and kept in a Redis
 * hash per document only so that a joining session sees who is there.
 * Throttled per socket; when updates come faster than the limit, the latest
 * one is sent at the next slot and the ones in between are dropped.
 */
export class PresenceService {
  private readonly throttles = new Map<string, Throttle>();
  private readonly intervalMs: number;

  constructor(
    private readonly redis: Redis,
    private readonly keys: RedisKeys,
    perSecond: number,
    private readonly log: Logger,
  ) {
    this.intervalMs = 1000 / perSecond;
  }

  /** The sessions on the document other than `exceptSession`. */
  async list(docId: string, exceptSession: string): Promise<PresenceState[]> {
    const raw = await this.redis.hgetall(this.keys.presence(docId));
    const states: PresenceState[] = [];
    for (const [sessionId, text] of Object.entries(raw)) {
      if (sessionId === exceptSession) continue;
      let value: unknown;
      try {
        value = JSON.parse(text);
      } catch {
        continue;
      }
      const parsed = parse(PresenceState, value);
      if (parsed.ok) states.push(parsed.value);
    }
    return states;
  }

  /** Queues `state` for the room; sent now or at the socket's next slot. */
  update(socket: Socket, state: PresenceState): void {
    let throttle = this.throttles.get(socket.id);
    if (!throttle) {
      throttle = { lastSentAt: 0, timer: undefined, pending: new Map() };
      this.throttles.set(socket.id, throttle);
    }
    throttle.pending.set(state.docId, state);
    if (throttle.timer) return;
    const wait = throttle.lastSentAt + this.intervalMs - performance.now();
    if (wait <= 0) this.flush(socket, throttle);
    else throttle.timer = setTimeout(() => this.flush(socket, throttle), wait);
  }

  private flush(socket: Socket, throttle: Throttle): void {
    throttle.timer = undefined;
    throttle.lastSentAt = performance.now();
    for (const state of throttle.pending.values()) {
      // The socket may have left since the update was queued.
      if (!socket.connected || !socket.rooms.has(docRoom(state.docId))) continue;
      socket.to(docRoom(state.docId)).emit(ServerEvent.Presence, state);
      const key = this.keys.presence(state.docId);
      this.redis
        .multi()
        .hset(key, state.sessionId, JSON.stringify(state))
        .expire(key, PRESENCE_TTL_SECONDS)
        .exec()
        .catch((error: unknown) => this.log.warn({ err: error }, 'presence not stored'));
    }
    throttle.pending.clear();
  }

  /**
   * A client came back under a new session: the caret of `previousSessionId`
   * on `docId` goes everywhere, if it is `userId`'s (nobody takes away
   * someone else's caret by naming their session). The old socket may still
   * look open to its gateway (a network switch leaves it half-open until
   * its ping times out, and a crashed gateway leaves its entries here):
   * without this, the person would see their own ghost, and others two
   * carets of theirs, for up to a minute. When the old socket does end, its
   * own leave repeats this, harmlessly.
   */
  async replace(server: Server, docId: string, previousSessionId: string, userId: string): Promise<void> {
    const text = await this.redis.hget(this.keys.presence(docId), previousSessionId);
    if (text === null) return;
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      value = null;
    }
    const parsed = parse(PresenceState, value);
    // An entry that no longer parses is nobody's caret: it goes too.
    if (parsed.ok && parsed.value.userId !== userId) return;
    this.leave(server, docId, previousSessionId);
  }

  /** The session left the document: its caret disappears everywhere. */
  leave(server: Server, docId: string, sessionId: string): void {
    this.throttles.get(sessionId)?.pending.delete(docId);
    server.to(docRoom(docId)).emit(ServerEvent.PresenceLeave, { docId, sessionId });
    this.redis
      .hdel(this.keys.presence(docId), sessionId)
      .catch((error: unknown) => this.log.warn({ err: error }, 'presence not removed'));
  }

  /** Forgets a disconnected socket's throttle. */
  forget(sessionId: string): void {
    const throttle = this.throttles.get(sessionId);
    if (throttle?.timer) clearTimeout(throttle.timer);
    this.throttles.delete(sessionId);
  }
}
