import type { DocId, UserId } from '../common/ids';
import type {
  CatchupAck,
  CatchupRequest,
  ClientEvent,
  JoinAck,
  JoinRequest,
  LeaveAck,
  LeaveRequest,
  OpAck,
  OpRequest,
  PresenceAck,
} from './client-events';
import type {
  CommentChanged,
  CommentDeleted,
  CommentEvent,
  NotificationEvent,
  ThreadCreated,
  ThreadReopened,
  ThreadResolved,
} from './comment-events';
import type { PresenceLeave, PresenceState, PresenceUpdate } from './presence';
import type {
  AccessChanged,
  AccessRevoked,
  CommittedOps,
  ServerError,
  ServerEvent,
  SessionClosed,
} from './server-events';

/**
 * Client -> server events as Socket.IO's typed-events map:
 * `new Server<ClientToServerEvents, ServerToClientEvents>()` and
 * `io(url) as Socket<ServerToClientEvents, ClientToServerEvents>`.
 * The types say what a well-behaved peer sends; the server still validates
 * every payload with `ClientEventPayload`.
 */
export interface ClientToServerEvents {
  [ClientEvent.Join]: (payload: JoinRequest, ack: (response: JoinAck) => void) => void;
  [ClientEvent.Leave]: (payload: LeaveRequest, ack: (response: LeaveAck) => void) => void;
  [ClientEvent.Op]: (payload: OpRequest, ack: (response: OpAck) => void) => void;
  [ClientEvent.Catchup]: (payload: CatchupRequest, ack: (response: CatchupAck) => void) => void;
  [ClientEvent.Presence]: (payload: PresenceUpdate, ack: (response: PresenceAck) => void) => void;
}

/** Server -> client events as Socket.IO's typed-events map. */
export interface ServerToClientEvents {
  [ServerEvent.Ops]: (committed: CommittedOps) => void;
  [ServerEvent.Presence]: (presence: PresenceState) => void;
  [ServerEvent.PresenceLeave]: (leave: PresenceLeave) => void;
  [ServerEvent.AccessChanged]: (change: AccessChanged) => void;
  [ServerEvent.AccessRevoked]: (revoked: AccessRevoked) => void;
  [ServerEvent.Error]: (error: ServerError) => void;
  [ServerEvent.SessionClosed]: (closed: SessionClosed) => void;
  [CommentEvent.ThreadCreated]: (event: ThreadCreated) => void;
  [CommentEvent.CommentCreated]: (event: CommentChanged) => void;
  [CommentEvent.CommentEdited]: (event: CommentChanged) => void;
  [CommentEvent.CommentDeleted]: (event: CommentDeleted) => void;
  [CommentEvent.ThreadResolved]: (event: ThreadResolved) => void;
  [CommentEvent.ThreadReopened]: (event: ThreadReopened) => void;
  [CommentEvent.Notification]: (event: NotificationEvent) => void;
}

/**
 * The Socket.IO room of a document. Room names are made by the server,
 * never taken from a client. The doc-service's broadcaster and every
 * gateway use this same name.
 */
export function docRoom(docId: DocId): string {
  return `doc:${docId.toLowerCase()}`;
}

/** The Socket.IO room holding every socket of one user (for access changes and sign-out). */
export function userRoom(userId: UserId): string {
  return `user:${userId.toLowerCase()}`;
}
