import type { DocId, InstanceId, UserId } from '../common/ids';

/** The key prefix used when none is configured. */
export const DEFAULT_KEY_PREFIX = 'collab:';

/**
 * Every Redis key and channel name the services use, under one prefix, so a
 * deployment (or a test) owns all of its keys by choosing a prefix:
 * `redisKeys('test-7f3a:')`. Ids are interpolated as they are; the schemas
 * for them exclude `:`.
 */
export interface RedisKeys {
  /** The prefix itself (empty, or ending with `:`). */
  readonly prefix: string;
  /**
   * Doc-service membership, in the shape libs/cluster's `MembershipKeys`
   * takes: `members` (ZSET instanceId -> expiry), `records` (HASH
   * instanceId -> JSON `MembershipRecord`), `channel` (join/leave pub/sub).
   */
  readonly membership: { readonly members: string; readonly records: string; readonly channel: string };
  /** Channel (or list) of `DocServiceRequest`s for one doc-service instance. */
  inbox(instanceId: InstanceId): string;
  /** Channel of `DocServiceReply`s for one gateway instance. */
  replies(gatewayId: InstanceId): string;
  /** Channel of `OpBroadcast`s for one document (when not using the Socket.IO emitter). */
  docOps(docId: DocId): string;
  /** Pattern matching every `docOps` channel (for PSUBSCRIBE). */
  readonly docOpsPattern: string;
  /** Channel of `GatewayNotice`s (access changes), received by every gateway. */
  readonly gatewayNotices: string;
  /** HASH: sessionId -> JSON `PresenceEntry` (caret and gateway run) of one document's sessions. */
  presence(docId: DocId): string;
  /**
   * STRING that exists while one gateway run (`GatewayRun`) lives: set with a
   * short TTL and refreshed by that gateway, deleted when it stops cleanly.
   */
  gatewayRun(gatewayId: InstanceId, runId: string): string;
  /** Count (or set) of one user's open sockets across gateways. */
  userSockets(userId: UserId): string;
  /** Token bucket of one rate limit (`scope` e.g. `ops-socket`, `ops-user`, `sign-in`). */
  rateLimit(scope: string, id: string): string;
  /**
   * The `keyPrefix` option of a rate-limiter-flexible limiter for `scope`: it
   * appends `:<id>`, so its keys are exactly `rateLimit(scope, id)`.
   */
  rateLimitPrefix(scope: string): string;
  /**
   * Marker of an ended sign-in session (sign-out, or a replayed refresh
   * token), kept as long as its access tokens can live: tokens carrying this
   * `sid` are refused from then on.
   */
  endedSession(sessionId: string): string;
  /** Cache of one user's document list. */
  documentListCache(userId: UserId): string;
  /** Cache of one document's metadata. */
  documentCache(docId: DocId): string;
  /**
   * Generation counter of one cache entry (`documentListCache`,
   * `documentCache`): every invalidation increments it, and a reader stores
   * what it read only if the counter did not move meanwhile, so a read that
   * raced a write never puts the old value back.
   */
  cacheGeneration(cacheKey: string): string;
  /** The `key` option of `@socket.io/redis-adapter` and `@socket.io/redis-emitter`. */
  readonly socketIo: string;
  /** The `prefix` option of BullMQ queues and workers (BullMQ appends its own `:`). */
  readonly bullmq: string;
}

/**
 * The key names under `prefix` (default {@link DEFAULT_KEY_PREFIX}). The
 * prefix must be empty or end with `:`, and may hold letters, digits and
 * `_.:{}-` (braces for a Redis Cluster hash tag). Throws on a bad prefix: it
 * is configuration, checked once at start-up.
 */
export function redisKeys(prefix: string = DEFAULT_KEY_PREFIX): RedisKeys {
  if (!/^([A-Za-z0-9_.:{}-]*:)?$/.test(prefix)) {
    throw new Error(
      `Invalid Redis key prefix ${JSON.stringify(prefix)}: use [A-Za-z0-9_.:{}-] and end with ':'`,
    );
  }
  const p = prefix;
  return {
    prefix: p,
    membership: {
      members: `${p}membership:members`,
      records: `${p}membership:records`,
      channel: `${p}membership:events`,
    },
    inbox: (instanceId) => `${p}inbox:${instanceId}`,
    replies: (gatewayId) => `${p}replies:${gatewayId}`,
    docOps: (docId) => `${p}doc:${docId.toLowerCase()}:ops`,
    // The prefix holds no glob character, so the pattern needs no escaping.
    docOpsPattern: `${p}doc:*:ops`,
    gatewayNotices: `${p}gateway:notices`,
    presence: (docId) => `${p}presence:${docId.toLowerCase()}`,
    gatewayRun: (gatewayId, runId) => `${p}gateway:${gatewayId}:run:${runId.toLowerCase()}`,
    userSockets: (userId) => `${p}user:${userId.toLowerCase()}:sockets`,
    rateLimit: (scope, id) => `${p}ratelimit:${scope}:${id}`,
    rateLimitPrefix: (scope) => `${p}ratelimit:${scope}`,
    endedSession: (sessionId) => `${p}session:${sessionId.toLowerCase()}:ended`,
    documentListCache: (userId) => `${p}cache:doclist:${userId.toLowerCase()}`,
    documentCache: (docId) => `${p}cache:doc:${docId.toLowerCase()}`,
    cacheGeneration: (cacheKey) => `${cacheKey}:gen`,
    socketIo: `${p}socket.io`,
    bullmq: `${p}bull`,
  };
}
