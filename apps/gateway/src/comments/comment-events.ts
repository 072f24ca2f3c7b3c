import {
  type CommentChanged,
  type CommentDeleted,
  CommentEvent,
  docRoom,
  type NotificationEvent,
  type ThreadCreated,
  type ThreadReopened,
  type ThreadResolved,
  userRoom,
} from '@collab/contracts';
import type { Server } from 'socket.io';

type DocumentEvent =
  | readonly [typeof CommentEvent.ThreadCreated, ThreadCreated]
  | readonly [typeof CommentEvent.CommentCreated | typeof CommentEvent.CommentEdited, CommentChanged]
  | readonly [typeof CommentEvent.CommentDeleted, CommentDeleted]
  | readonly [typeof CommentEvent.ThreadResolved, ThreadResolved]
  | readonly [typeof CommentEvent.ThreadReopened, ThreadReopened];

/**
 * Emits the live comment events. The gateway that committed a change emits
 * it, after the commit, through its Socket.IO server: the Redis adapter
 * carries it to the room's sockets on every gateway. Document events go to
 * the document's room (joined sockets only, so someone whose access was
 * revoked hears nothing more), notifications to the user's room (every
 * socket of that user, joined or not).
 *
 * At most once, like every Redis publish: a client that missed events
 * (offline, Redis away) reads the list again when it rejoins.
 */
export class CommentEvents {
  private server: Server | undefined;

  /** Starts emitting through `server` (before that, events have no sockets to reach). */
  attach(server: Server): void {
    this.server = server;
  }

  toDocument(docId: string, ...[event, payload]: DocumentEvent): void {
    this.server?.to(docRoom(docId)).emit(event, payload);
  }

  toUser(userId: string, payload: NotificationEvent): void {
    this.server?.to(userRoom(userId)).emit(CommentEvent.Notification, payload);
  }
}
