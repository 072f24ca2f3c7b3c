import { z } from 'zod';
import { ClientId, CommittedVersion, DocId, Seq, UserId } from '../common/ids';
import { RoleSchema } from '../common/roles';
import { DeltaOps } from '../delta/delta.schema';
import { WireError } from '../errors/wire-error';
import { CommentEvent } from './comment-events';

/** Names of the events a server emits to a client. */
export const ServerEvent = {
  /** One group commit of a document: {@link CommittedOps}. */
  Ops: 'ops',
  /** Another session's caret: `PresenceState`. */
  Presence: 'presence',
  /** A session left a document: `PresenceLeave`. */
  PresenceLeave: 'presence:leave',
  /** This user's role on a joined document changed: {@link AccessChanged}. */
  AccessChanged: 'access:changed',
  /** This user lost access to a joined document: {@link AccessRevoked}. */
  AccessRevoked: 'access:revoked',
  /** An error not tied to an ack: {@link ServerError}. */
  Error: 'error',
  /** The server is about to close this socket, and why: {@link SessionClosed}. */
  SessionClosed: 'session:closed',
  /** The live comment events: see {@link CommentEvent}. */
  ...CommentEvent,
} as const;

/** One of the values of {@link ServerEvent}. */
export type ServerEvent = (typeof ServerEvent)[keyof typeof ServerEvent];

/**
 * An operation durable in PostgreSQL. `version` is the document version
 * this operation produced (it applies to version `version - 1`). Broadcast
 * in {@link CommittedOps}, and read back by `catchup`.
 *
 * The submitter recognises its own `(clientId, seq)` (from its own
 * `userId`) as the acknowledgement of its in-flight operation, as it does
 * the `op` ack; everyone else transforms it against their pending
 * operations. A client that receives version `v` while at a version below
 * `v - 1` has missed operations and sends `catchup` before applying more,
 * except for the one version its own in-flight operation may hold (see
 * {@link CommittedOps}).
 */
export const CommittedOp = z.object({
  docId: DocId,
  version: CommittedVersion,
  delta: DeltaOps,
  clientId: ClientId,
  seq: Seq,
  userId: UserId,
});
/** See {@link CommittedOp}. */
export type CommittedOp = z.infer<typeof CommittedOp>;

/**
 * Server -> client `ops`: the operations of one group commit of a document,
 * consecutive versions in order, broadcast to the document's room once they
 * are durable. One frame per commit, not per operation: a busy document's
 * readers decode one message for many keystrokes.
 *
 * A commit holding operations of a single socket only is not sent to that
 * socket: its `op` ack carries the version, and the submitter applies it as
 * its own operation once every version before it is applied. So a client
 * whose operation is in flight and that receives version `v + 2` while at
 * `v` waits for that ack (or catches up after a short while) rather than
 * catching up at once.
 */
export const CommittedOps = z.object({
  docId: DocId,
  ops: z.array(CommittedOp).min(1),
});
/** See {@link CommittedOps}. */
export type CommittedOps = z.infer<typeof CommittedOps>;

/**
 * Server -> client `access:changed`: the user's role on a joined document
 * changed (a downgraded editor's editor turns read-only; its next operation
 * would be refused with FORBIDDEN anyway).
 */
export const AccessChanged = z.object({
  docId: DocId,
  role: RoleSchema,
});
/** See {@link AccessChanged}. */
export type AccessChanged = z.infer<typeof AccessChanged>;

/** Why a user lost access to a document. */
export const AccessRevokedReason = {
  /** The owner removed this member. */
  MemberRemoved: 'member_removed',
  /** The owner deleted the document. */
  DocumentDeleted: 'document_deleted',
} as const;

/** One of the values of {@link AccessRevokedReason}. */
export type AccessRevokedReason = (typeof AccessRevokedReason)[keyof typeof AccessRevokedReason];

/** Runtime schema of an {@link AccessRevokedReason}. */
export const AccessRevokedReasonSchema = z.enum(AccessRevokedReason);

/**
 * Server -> client `access:revoked`: the user may no longer see the
 * document. The gateway has already taken the socket out of the room;
 * the client closes the editor and drops its unsent operations for it.
 */
export const AccessRevoked = z.object({
  docId: DocId,
  reason: AccessRevokedReasonSchema,
});
/** See {@link AccessRevoked}. */
export type AccessRevoked = z.infer<typeof AccessRevoked>;

/**
 * Server -> client `error`: an error that answers no ack (an unknown event,
 * a message too large to parse), with the document it concerns if known.
 */
export const ServerError = WireError.extend({
  docId: DocId.optional(),
});
/** See {@link ServerError}. */
export type ServerError = z.infer<typeof ServerError>;

/** Why the server closes a socket. */
export const SessionCloseReason = {
  /** The access token expired: refresh it, then reconnect. */
  TokenExpired: 'TOKEN_EXPIRED',
  /** The session was signed out (refresh token revoked): sign in again. */
  SignedOut: 'SIGNED_OUT',
  /** Repeated abuse of the rate limits: reconnect after a back-off. */
  RateLimited: 'RATE_LIMITED',
  /** The user has too many open sockets: do not reconnect automatically. */
  TooManySockets: 'TOO_MANY_SOCKETS',
  /** The client did not read fast enough: reconnect and catch up. */
  SlowConsumer: 'SLOW_CONSUMER',
  /** This gateway is shutting down: reconnect (to another one). */
  ServerShutdown: 'SERVER_SHUTDOWN',
  /** The client speaks another protocol version: reload the app. */
  ProtocolMismatch: 'PROTOCOL_MISMATCH',
} as const;

/** One of the values of {@link SessionCloseReason}. */
export type SessionCloseReason = (typeof SessionCloseReason)[keyof typeof SessionCloseReason];

/** Runtime schema of a {@link SessionCloseReason}. */
export const SessionCloseReasonSchema = z.enum(SessionCloseReason);

/**
 * Server -> client `session:closed`, sent just before the server calls
 * `socket.disconnect(true)`. Socket.IO itself tells the client only
 * "io server disconnect", after which it does not reconnect on its own;
 * this event says what to do instead (see {@link SESSION_CLOSE_ACTIONS}).
 * A disconnect without it (network loss, a killed gateway, a slow consumer
 * whose buffer is full) means: reconnect with back-off.
 */
export const SessionClosed = z.object({
  reason: SessionCloseReasonSchema,
  message: z.string().max(1_000),
});
/** See {@link SessionClosed}. */
export type SessionClosed = z.infer<typeof SessionClosed>;

/** What a client does after a `session:closed`. */
export const SessionCloseAction = {
  /** Refresh the access token, then reconnect. */
  Refresh: 'refresh',
  /** Reconnect with back-off, resend the in-flight operation, catch up. */
  Reconnect: 'reconnect',
  /** Send the person to sign in. */
  SignIn: 'sign_in',
  /** Reload the app: it is out of date. */
  Reload: 'reload',
  /** Stay disconnected and tell the person why. */
  Stop: 'stop',
} as const;

/** One of the values of {@link SessionCloseAction}. */
export type SessionCloseAction = (typeof SessionCloseAction)[keyof typeof SessionCloseAction];

/** The client's action for each {@link SessionCloseReason}. */
export const SESSION_CLOSE_ACTIONS: { readonly [R in SessionCloseReason]: SessionCloseAction } = {
  TOKEN_EXPIRED: SessionCloseAction.Refresh,
  SIGNED_OUT: SessionCloseAction.SignIn,
  RATE_LIMITED: SessionCloseAction.Reconnect,
  TOO_MANY_SOCKETS: SessionCloseAction.Stop,
  SLOW_CONSUMER: SessionCloseAction.Reconnect,
  SERVER_SHUTDOWN: SessionCloseAction.Reconnect,
  PROTOCOL_MISMATCH: SessionCloseAction.Reload,
};
