import { z } from 'zod';
import { ClientId, CorrelationId, DocId, RequestId, Seq, UserId, Version } from '../common/ids';
import { DeltaOps } from '../delta/delta.schema';
import { ErrorCode } from '../errors/error-codes';
import { WireError } from '../errors/wire-error';
import { MAX_CATCHUP_LIMIT } from '../limits';
import { parse, type ParseResult } from '../parse';
import { CatchupResult, JoinResult, OpResult } from '../socket/client-events';

/** A Socket.IO socket id (20 URL-safe characters; bounded here, not parsed). */
const SocketId = z.string().min(1).max(64);

/*
 * Gateway <-> doc-service requests and replies over Redis, as JSON. A gateway
 * sends a request to the inbox of the document's owner on the hash ring and
 * waits, with a timeout, for the reply on its own `replyTo` channel. After
 * `NOT_OWNER` or a timeout it sends the request again (with a new
 * `requestId`) to whoever owns the document then: safe, because operations
 * and restores are deduplicated on `(clientId, seq)`, and loads and
 * catch-ups only read.
 *
 * These messages come from our own services, so unknown keys are stripped,
 * not refused: a gateway and a doc-service one release apart (a rolling
 * deploy) still understand each other as long as changes only add fields.
 */

/** Kinds of request a doc-service handles. */
export const DocServiceRequestType = {
  /** Submit an operation. */
  Op: 'op',
  /** Read a document at head (for `join`). */
  Load: 'load',
  /** Read committed operations after a version. */
  Catchup: 'catchup',
  /** Restore an old version as a new forward operation. */
  Restore: 'restore',
} as const;

/** One of the values of {@link DocServiceRequestType}. */
export type DocServiceRequestType = (typeof DocServiceRequestType)[keyof typeof DocServiceRequestType];

/** Fields every request carries. */
const envelope = {
  /** Pairs the reply with this attempt; fresh for each attempt. */
  requestId: RequestId,
  /** The channel to publish the reply on: `redisKeys(prefix).replies(gatewayId)`. */
  replyTo: z.string().min(1).max(512),
  /** Carried into logs, the actor and jobs. */
  correlationId: CorrelationId,
};

/**
 * Submit an operation the gateway has authorised (the user may edit) and
 * checked against the schema and size limits. The actor dedupes on
 * `(clientId, seq)`, transforms from `baseVersion`, validates with libs/ot,
 * commits, broadcasts, then replies with {@link OpResult}.
 *
 * `socketId` is the submitting Socket.IO socket (also a room on every
 * gateway): a commit holding only operations of that socket is broadcast to
 * the room except that socket, whose `op` ack acknowledges it (see
 * `CommittedOps`). Absent: broadcast to every socket.
 */
export const DocOpRequest = z.object({
  type: z.literal(DocServiceRequestType.Op),
  ...envelope,
  docId: DocId,
  userId: UserId,
  clientId: ClientId,
  seq: Seq,
  baseVersion: Version,
  delta: DeltaOps,
  socketId: SocketId.optional(),
});
/** See {@link DocOpRequest}. */
export type DocOpRequest = z.infer<typeof DocOpRequest>;

/** Read the document at head; replies with {@link LoadResult}. */
export const DocLoadRequest = z.object({
  type: z.literal(DocServiceRequestType.Load),
  ...envelope,
  docId: DocId,
});
/** See {@link DocLoadRequest}. */
export type DocLoadRequest = z.infer<typeof DocLoadRequest>;

/** Read operations after `fromVersion`; replies with a `CatchupResult`. */
export const DocCatchupRequest = z.object({
  type: z.literal(DocServiceRequestType.Catchup),
  ...envelope,
  docId: DocId,
  fromVersion: Version,
  limit: z.int().min(1).max(MAX_CATCHUP_LIMIT),
});
/** See {@link DocCatchupRequest}. */
export type DocCatchupRequest = z.infer<typeof DocCatchupRequest>;

/**
 * Restore version `toVersion`: the owner commits, as a new operation, the
 * difference from the current content to that version's content, so every
 * client converges on it and history keeps both. The gateway picks a fresh
 * `clientId` per restore action (and `seq` 1), so a retried restore is
 * applied once. Replies with {@link RestoreResult}.
 */
export const DocRestoreRequest = z.object({
  type: z.literal(DocServiceRequestType.Restore),
  ...envelope,
  docId: DocId,
  userId: UserId,
  toVersion: Version,
  clientId: ClientId,
  seq: Seq,
});
/** See {@link DocRestoreRequest}. */
export type DocRestoreRequest = z.infer<typeof DocRestoreRequest>;

/** Any request to a doc-service, discriminated on `type`. */
export const DocServiceRequest = z.discriminatedUnion('type', [
  DocOpRequest,
  DocLoadRequest,
  DocCatchupRequest,
  DocRestoreRequest,
]);
/** See {@link DocServiceRequest}. */
export type DocServiceRequest = z.infer<typeof DocServiceRequest>;

/** Result of `load`: the document at head (`html` when a snapshot at head has it). */
export const LoadResult = JoinResult.pick({ version: true, content: true, html: true });
/** See {@link LoadResult}. */
export type LoadResult = z.infer<typeof LoadResult>;

/** Result of `restore`: the version the restore was committed as (head, if nothing changed). */
export const RestoreResult = z.object({ version: Version });
/** See {@link RestoreResult}. */
export type RestoreResult = z.infer<typeof RestoreResult>;

/** The result schema of each request type. */
export const DocServiceResult = {
  [DocServiceRequestType.Op]: OpResult,
  [DocServiceRequestType.Load]: LoadResult,
  [DocServiceRequestType.Catchup]: CatchupResult,
  [DocServiceRequestType.Restore]: RestoreResult,
} as const satisfies { readonly [T in DocServiceRequestType]: z.ZodType };

/** The result type of request type `T`. */
export type DocServiceResultOf<T extends DocServiceRequestType> = z.infer<(typeof DocServiceResult)[T]>;

/**
 * A doc-service's answer, on the requester's `replyTo` channel. `result` is
 * checked against the schema of the request's type by the gateway, which
 * knows what it asked (see {@link parseDocServiceResult}).
 */
export const DocServiceReply = z.discriminatedUnion('ok', [
  z.object({
    type: z.literal('reply'),
    requestId: RequestId,
    correlationId: CorrelationId.optional(),
    ok: z.literal(true),
    result: z.unknown(),
  }),
  z.object({
    type: z.literal('reply'),
    requestId: RequestId,
    correlationId: CorrelationId.optional(),
    ok: z.literal(false),
    error: WireError,
  }),
]);
/** See {@link DocServiceReply}. */
export type DocServiceReply = z.infer<typeof DocServiceReply>;

/** A successful reply to a request of type `T`, as the doc-service builds it. */
export function docServiceReplyOk<T extends DocServiceRequestType>(
  request: { requestId: string; correlationId?: string; type: T },
  result: DocServiceResultOf<T>,
): DocServiceReply {
  return {
    type: 'reply',
    requestId: request.requestId,
    correlationId: request.correlationId,
    ok: true,
    result,
  };
}

/** A failed reply, as the doc-service builds it. */
export function docServiceReplyError(
  request: { requestId: string; correlationId?: string },
  error: WireError,
): DocServiceReply {
  return {
    type: 'reply',
    requestId: request.requestId,
    correlationId: request.correlationId,
    ok: false,
    error,
  };
}

/**
 * Checks the `result` of a successful reply against the schema for request
 * type `type`. A mismatch is a bug between services, reported as `INTERNAL`.
 */
export function parseDocServiceResult<T extends DocServiceRequestType>(
  type: T,
  result: unknown,
): ParseResult<DocServiceResultOf<T>> {
  // Indexing the table with a generic key loses the pairing of type and schema.
  const schema = DocServiceResult[type] as unknown as z.ZodType<DocServiceResultOf<T>>;
  return parse(schema, result, ErrorCode.INTERNAL);
}
