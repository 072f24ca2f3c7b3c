import {
  docRoom,
  parseJson,
  PresenceEntry,
  type PresenceState,
  type RedisKeys,
  ServerEvent,
} from '@collab/contracts';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { Server, Socket } from 'socket.io';
import type { GatewayLiveness } from './gateway-liveness';

/**
 * A document's presence hash expires this long after its last update. Only a
 * backstop for documents nobody joins any more: on a document people join,
 * the entries of gone gateways are removed by the joins (see list).
 */
const PRESENCE_TTL_SECONDS = 600;

/**
 * Removes each field `ARGV[2i-1]` whose value is still `ARGV[2i]`, and
 * returns the fields removed: an entry rewritten since it was read (its
 * session moved) stays, and of two joins pruning the same entry at once one
 * removes it and announces its leave.
 */
const HDEL_UNCHANGED = `
local removed = {}
for i = 1, #ARGV, 2 do
  if redis.call('HGET', KEYS[1], ARGV[i]) == ARGV[i + 1] then
    redis.call('HDEL', KEYS[1], ARGV[i])
    removed[#removed + 1] = ARGV[i]
  end
end
return removed`;

type HdelUnchanged = (key: string, ...fieldsAndValues: string[]) => Promise<string[]>;

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
 *
 * Each hash entry names the gateway run holding its session
 * (`PresenceEntry`). A gateway that crashes sends no leave for its sockets,
 * and the hash's TTL never runs out while anyone on the document keeps
 * moving; so a join drops, and removes, the entries of runs that are gone
 * (GatewayLiveness). Bound: a crashed gateway's carets are shown to joiners
 * at most GATEWAY_LIVENESS_TTL_MS after its last refresh. Nothing here runs
 * per idle socket: the cost is one liveness read per join (none when every
 * entry is this gateway's) and one write per gateway every third of the TTL.
 */
export class PresenceService {
  private readonly throttles = new Map<string, Throttle>();
  private readonly intervalMs: number;
  private readonly redis: Redis & { hdelUnchanged: HdelUnchanged };

  constructor(
    redis: Redis,
    private readonly keys: RedisKeys,
    private readonly liveness: GatewayLiveness,
    perSecond: number,
    private readonly log: Logger,
  ) {
    this.intervalMs = 1000 / perSecond;
    redis.defineCommand('hdelUnchanged', { numberOfKeys: 1, lua: HDEL_UNCHANGED });
    this.redis = redis as PresenceService['redis'];
  }

  /**
   * The sessions on the document other than `exceptSession`, as a joiner is
   * shown them. Entries of gone gateway runs (ghosts) and entries that do not
   * parse are left out, and removed from the hash in the background; each
   * ghost's `presence:leave` goes to the room, so the sockets that were shown
   * it earlier drop it too. An unreadable entry (e.g. one in the shape of
   * an older gateway, during a rolling upgrade) was never shown by this
   * version, so its removal is not announced.
   */
  async list(server: Server, docId: string, exceptSession: string): Promise<PresenceState[]> {
    const raw = await this.redis.hgetall(this.keys.presence(docId));
    const entries: [sessionId: string, text: string, entry: PresenceEntry][] = [];
    const stale: [sessionId: string, text: string][] = [];
    for (const [sessionId, text] of Object.entries(raw)) {
      const parsed = parseJson(PresenceEntry, text);
      if (parsed.ok) entries.push([sessionId, text, parsed.value]);
      else stale.push([sessionId, text]);
    }
    const alive = await this.liveness.alive(entries.map(([, , entry]) => entry.gateway));
    const states: PresenceState[] = [];
    const ghosts = new Set<string>();
    for (const [sessionId, text, entry] of entries) {
      if (!alive(entry.gateway)) {
        ghosts.add(sessionId);
        stale.push([sessionId, text]);
      } else if (sessionId !== exceptSession) states.push(entry.state);
    }
    if (stale.length > 0) this.prune(server, docId, stale, ghosts);
    return states;
  }

  private prune(server: Server, docId: string, stale: [string, string][], ghosts: Set<string>): void {
    this.redis
      .hdelUnchanged(this.keys.presence(docId), ...stale.flat())
      .then((removed) => {
        const left = removed.filter((sessionId) => ghosts.has(sessionId));
        for (const sessionId of left) {
          server.to(docRoom(docId)).emit(ServerEvent.PresenceLeave, { docId, sessionId });
        }
        if (removed.length > 0) {
          this.log.info(
            { docId, ghosts: left.length, unreadable: removed.length - left.length },
            'stale presence removed',
          );
        }
      })
      .catch((error: unknown) => this.log.warn({ err: error }, 'stale presence not removed'));
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
        .hset(
          key,
          state.sessionId,
          JSON.stringify({ gateway: this.liveness.run, state } satisfies PresenceEntry),
        )
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
   * own leave repeats this, harmlessly. (A crashed gateway's entries of
   * people who do not come back are list's business.)
   */
  async replace(server: Server, docId: string, previousSessionId: string, userId: string): Promise<void> {
    const text = await this.redis.hget(this.keys.presence(docId), previousSessionId);
    if (text === null) return;
    const parsed = parseJson(PresenceEntry, text);
    // An entry that no longer parses is nobody's caret: it goes too.
    if (parsed.ok && parsed.value.state.userId !== userId) return;
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
