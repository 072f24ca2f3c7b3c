import { type CommittedOp, type CommittedOps, docRoom, ServerEvent } from '@collab/contracts';
import { Emitter } from '@socket.io/redis-emitter';
import type { Redis } from 'ioredis';

/** One group commit to broadcast: its operations in version order, and who need not receive it. */
export interface CommitBroadcast {
  readonly docId: string;
  readonly ops: readonly CommittedOp[];
  /**
   * The one socket that submitted every operation of the commit, if it is
   * known: it is acknowledged through its `op` ack, so the frame skips it.
   */
  readonly exceptSocket?: string;
}

/**
 * Publishes committed operations to the document's Socket.IO room on every
 * gateway, through the Redis adapter's channel (@socket.io/redis-emitter),
 * one `ops` frame per group commit.
 *
 * Order: Redis pub/sub delivers one connection's messages in the order they
 * were published, and this instance publishes each document's commits from
 * one connection in version order (the actor calls it after each commit, in
 * order, and the queue below keeps that order). A document has one owner at
 * a time, so its room sees versions in order; around a hand-over two owners
 * may overlap, and clients catch up on any gap they see.
 *
 * Replies first: a commit's frames are emitted in the event loop's next
 * turn, after the replies of this turn have gone out (the inbox and the
 * owner links send them at the end of the turn the actor settled them in).
 * On a busy document the submitter's gateway then answers its ack before it
 * writes the frame to every other socket of the room, and the submitter's
 * client reads its ack before those frames, as ShareDB orders them: the ack
 * no longer waits for the room's fan-out. The SDK takes either order (the
 * ack carries the version; a broadcast the ack overtook is waited for).
 */
export class OpPublisher {
  private readonly emitter: Emitter;
  /** Commits waiting for the next turn, in the order the actors committed them. */
  private queued: CommitBroadcast[] = [];

  constructor(
    redis: Redis,
    socketIoKey: string,
    private readonly onError: (error: unknown) => void,
  ) {
    // The emitter publishes without awaiting; a failed publish (Redis down) must
    // be reported, never left as an unhandled rejection that ends the process.
    // Clients that miss a broadcast see a version gap and catch up.
    const client = {
      publish: (channel: string, message: Buffer | string) => redis.publish(channel, message).catch(onError),
    };
    this.emitter = new Emitter(client, { key: socketIoKey });
  }

  /** Emits `commit` once this turn's replies are out (see the class comment). */
  publish(commit: CommitBroadcast): void {
    this.queued.push(commit);
    if (this.queued.length > 1) return;
    // The second setImmediate is queued while the first runs, in the check
    // phase, so it runs in the next turn: after every callback of this turn's
    // check phase, the replies' end-of-turn flushes among them.
    setImmediate(() => setImmediate(() => this.emitQueued()));
  }

  private emitQueued(): void {
    const commits = this.queued;
    this.queued = [];
    for (const commit of commits) {
      // Emitted outside the actor's call now: a throw here (encoding) would end
      // the process, so it is reported, and the room catches up on the gap.
      try {
        this.emit(commit);
      } catch (error) {
        this.onError(error);
      }
    }
  }

  private emit(commit: CommitBroadcast): void {
    const payload: CommittedOps = { docId: commit.docId, ops: [...commit.ops] };
    const room = this.emitter.to(docRoom(commit.docId));
    // A socket id is also a room on its gateway (Socket.IO joins each socket to its own id).
    (commit.exceptSocket === undefined ? room : room.except(commit.exceptSocket)).emit(
      ServerEvent.Ops,
      payload,
    );
  }
}
