import { z } from 'zod';
import { ClientId, CommittedVersion, DocId, Seq, Version } from '../common/ids';
import { RoleSchema } from '../common/roles';
import { DeltaOps, DocumentDelta } from '../delta/delta.schema';
import { DEFAULT_CATCHUP_LIMIT, MAX_CATCHUP_LIMIT } from '../limits';
import { ackSchema, type Ack } from './ack';
import { PresenceState, PresenceUpdate } from './presence';
import { CommittedOp } from './server-events';

/*
 * Client -> server events. Every one carries an acknowledgement callback
 * answered with an `Ack` (`{ok: true, ...result}` or `{ok: false, error}`).
 * Payloads come from untrusted clients, so their schemas are strict: an
 * unknown key is refused (`BAD_REQUEST`), never silently dropped.
 */

/** Names of the events a client emits to the server. */
export const ClientEvent = {
  /** Open a document: {@link JoinRequest} -> {@link JoinResult}. */
  Join: 'join',
  /** Close a document: {@link LeaveRequest} -> `{}`. */
  Leave: 'leave',
  /** Submit an operation: {@link OpRequest} -> {@link OpResult}. */
  Op: 'op',
  /** Fetch missed operations: {@link CatchupRequest} -> {@link CatchupResult}. */
  Catchup: 'catchup',
  /** Move the caret: `PresenceUpdate` -> `{}`. */
  Presence: 'presence',
} as const;

/** One of the values of {@link ClientEvent}. */
export type ClientEvent = (typeof ClientEvent)[keyof typeof ClientEvent];

/** Runtime schema of a {@link ClientEvent} name. */
export const ClientEventSchema = z.enum(ClientEvent);

/** Whether `name` is a declared client event (anything else is dropped and counted). */
export function isClientEvent(name: unknown): name is ClientEvent {
  return ClientEventSchema.safeParse(name).success;
}

/** `join`: open a document; the socket enters its room if the user has a role on it. */
export const JoinRequest = z.strictObject({ docId: DocId });
/** See {@link JoinRequest}. */
export type JoinRequest = z.infer<typeof JoinRequest>;

/**
 * `join` ack: the document at `version` (`content`, plus sanitized `html`
 * for a first paint when a snapshot provides it), the user's role, and the
 * carets of the sessions already there. The socket joins the room before
 * the content is read, so a broadcast of a later version may arrive before
 * this ack: the client keeps operations newer than `version` and drops
 * older ones.
 */
export const JoinResult = z.object({
  docId: DocId,
  version: Version,
  content: DocumentDelta,
  html: z.string().optional(),
  role: RoleSchema,
  presence: z.array(PresenceState),
});
/** See {@link JoinResult}. */
export type JoinResult = z.infer<typeof JoinResult>;
/** Schema of the `join` ack. */
export const JoinAck = ackSchema(JoinResult);
/** The `join` ack. */
export type JoinAck = Ack<JoinResult>;

/** `leave`: close a document; the socket leaves its room and its caret disappears. */
export const LeaveRequest = z.strictObject({ docId: DocId });
/** See {@link LeaveRequest}. */
export type LeaveRequest = z.infer<typeof LeaveRequest>;
/** Result fields of the `leave` ack (none). */
export const EmptyResult = z.object({});
/** Result fields of an ack that carries nothing but `ok`. */
export type EmptyResult = z.infer<typeof EmptyResult>;
/** Schema of the `leave` ack. */
export const LeaveAck = ackSchema(EmptyResult);
/** The `leave` ack. */
export type LeaveAck = Ack<EmptyResult>;

/**
 * `op`: submit an operation made on version `baseVersion`. At most one
 * operation in flight per client; `seq` increases by one per operation and
 * a resend after a reconnect carries the same `(clientId, seq)`, which the
 * server applies at most once.
 */
export const OpRequest = z.strictObject({
  docId: DocId,
  clientId: ClientId,
  seq: Seq,
  baseVersion: Version,
  delta: DeltaOps,
});
/** See {@link OpRequest}. */
export type OpRequest = z.infer<typeof OpRequest>;

/**
 * `op` ack: the version the operation was committed as (for a resend of an
 * operation already committed, its original version). A broadcast
 * (`ops`) holding the same `(clientId, seq)` acknowledges it just as well;
 * whichever arrives first counts. When the operation's commit held no other
 * socket's operation, the broadcast skips the submitter and this ack is the
 * only acknowledgement: the client applies its operation as version
 * `version` once it has applied every version before it.
 */
export const OpResult = z.object({ version: CommittedVersion });
/** See {@link OpResult}. */
export type OpResult = z.infer<typeof OpResult>;
/** Schema of the `op` ack. */
export const OpAck = ackSchema(OpResult);
/** The `op` ack. */
export type OpAck = Ack<OpResult>;

/**
 * `catchup`: the committed operations after `fromVersion` (versions
 * `fromVersion + 1`, `+ 2`, ...), at most `limit` (default
 * {@link DEFAULT_CATCHUP_LIMIT}, at most {@link MAX_CATCHUP_LIMIT}).
 */
export const CatchupRequest = z.strictObject({
  docId: DocId,
  fromVersion: Version,
  limit: z.int().min(1).max(MAX_CATCHUP_LIMIT).optional(),
});
/** See {@link CatchupRequest}. */
export type CatchupRequest = z.infer<typeof CatchupRequest>;

/**
 * `catchup` ack: contiguous operations in version order, the head version
 * when the page was read, and whether more follow (ask again from the last
 * version received).
 */
export const CatchupResult = z.object({
  ops: z.array(CommittedOp),
  headVersion: Version,
  hasMore: z.boolean(),
});
/** See {@link CatchupResult}. */
export type CatchupResult = z.infer<typeof CatchupResult>;
/** Schema of the `catchup` ack. */
export const CatchupAck = ackSchema(CatchupResult);
/** The `catchup` ack. */
export type CatchupAck = Ack<CatchupResult>;

/** Schema of the `presence` ack. */
export const PresenceAck = ackSchema(EmptyResult);
/** The `presence` ack. */
export type PresenceAck = Ack<EmptyResult>;

/** The payload schema of each client event, for one generic validation step at the edge. */
export const ClientEventPayload = {
  [ClientEvent.Join]: JoinRequest,
  [ClientEvent.Leave]: LeaveRequest,
  [ClientEvent.Op]: OpRequest,
  [ClientEvent.Catchup]: CatchupRequest,
  [ClientEvent.Presence]: PresenceUpdate,
} as const satisfies { readonly [E in ClientEvent]: z.ZodType };

/** The ack schema of each client event, for clients that check what servers send. */
export const ClientEventAck = {
  [ClientEvent.Join]: JoinAck,
  [ClientEvent.Leave]: LeaveAck,
  [ClientEvent.Op]: OpAck,
  [ClientEvent.Catchup]: CatchupAck,
  [ClientEvent.Presence]: PresenceAck,
} as const satisfies { readonly [E in ClientEvent]: z.ZodType };

/** The effective page size of a catch-up request. */
export function catchupLimit(request: Pick<CatchupRequest, 'limit'>): number {
  return Math.min(request.limit ?? DEFAULT_CATCHUP_LIMIT, MAX_CATCHUP_LIMIT);
}
