import { ErrorCode, type JoinResult, type WireError } from '@collab/contracts';
import type { OtClient, OutgoingOp } from '@collab/ot';
import Delta from 'quill-delta';
import { LocalDocument } from './local-document';

/**
 * An edit of this client's that the server refused for good (it broke a
 * rule of the document, a size limit, or the user may no longer edit). It
 * was taken out of the local document, and the edits made after it were kept
 * and sent on without it.
 */
export interface EditRefusal {
  readonly error: WireError;
  /** The seq it was sent with (never used again). */
  readonly seq: number;
  /** The refused edit, as sent (based on the server version it was made at). */
  readonly edit: Delta;
  /**
   * True when the server does not have the version this client was at (its
   * history was restored from an earlier point): the document was reloaded
   * from the server, and every edit not yet saved was dropped with this one.
   */
  readonly reloaded: boolean;
}

/** What taking a refused edit out does to the local document. */
interface TakenOut {
  /** The local document now: the server's with the remaining edits on top. */
  readonly content: Delta;
  /** The change from the local document before to `content`, for the editor (may be empty). */
  readonly change: Delta;
  readonly refused: OutgoingOp;
  /** The later edits, rebased onto the server document, now in flight: send them. */
  readonly next: OutgoingOp | null;
}

/**
 * Takes the refused in-flight operation `seq` out (OtClient.refuse), given
 * the server's document at the OT client's version and the local document.
 * Null when `seq` is no longer in flight.
 *
 * The local document must become exactly the server's with the remaining
 * edits on top. OtClient.refuse's change takes it there when the refused
 * edit was applied as the server would have; an edit that does not fit the
 * document (one past its end) was composed the way quill-delta clips it, and
 * then the editor gets the difference instead.
 */
function takeOutRefused(ot: OtClient, seq: number, server: Delta, local: Delta): TakenOut | null {
  const result = ot.refuse(seq, server);
  if (!result) return null;
  const content = result.next ? server.compose(result.next.delta) : server;
  // Composing a clipped edit's undo may leave deletes past the end: keep the document.
  const viaApply = new Delta(local.compose(result.apply).filter((op) => op.insert !== undefined));
  const change = viaApply.diff(content).ops.length === 0 ? result.apply : local.diff(content);
  return { content, change, refused: result.refused, next: result.next };
}

/** A final refusal of an operation in flight, as its request's answer gave it. */
export interface Refusal {
  readonly op: OutgoingOp;
  readonly error: WireError;
}

/** The server's document at `version` (see DocumentSync.server). */
export interface ServerCopy {
  doc: LocalDocument;
  version: number;
}

/** What RefusedEdits needs of its document. */
export interface RefusalHost {
  /** The OT client, once the document is loaded. */
  ot(): OtClient | undefined;
  /** The local document. */
  content(): LocalDocument;
  /** The server's document, which a refused edit is undone against. */
  server(): ServerCopy | undefined;
  /** The local document after a refused edit was taken out. */
  setContent(content: LocalDocument): void;
  /** Restarts the OT client, the local and server documents and the committed stream at a join's content. */
  restartFrom(joined: JoinResult): void;
  /** Leaves the join, so that the next one (after the resend delay) reloads the document. */
  rejoin(): void;
  send(op: OutgoingOp): void;
  /** The local document moved by `change` (not an operation of the log): tell the editor. */
  changed(change: Delta): void;
  /** This many local edits are pending now. */
  pending(count: number): void;
  refused(refusal: EditRefusal): void;
}

/**
 * The refused edits of one document: a final refusal of the operation in
 * flight (see OtClient.refuse) means it will never commit, so it is taken out
 * and the later edits rebased and sent without it, once `server` stands at
 * the OT client's version (at once, but for a refusal that comes in the
 * middle of a catch-up). VERSION_AHEAD is different: the server does not have
 * the version this client is at, so nothing pending can be rebased onto what
 * it has, and the next join reloads the document (see reloadFrom).
 */
export class RefusedEdits {
  /** A final refusal of the in-flight operation, until `server` stands at the OT client's version. */
  private waiting: Refusal | undefined;
  /** A VERSION_AHEAD refusal (or an edit that could not be undone): the next join reloads the document. */
  private reloadFor: (Refusal & { always?: boolean }) | undefined;
  /** The code of the last final refusal (reported by whenSynced). */
  private lastCode: string | undefined;

  constructor(private readonly host: RefusalHost) {}

  /** The code of the last final refusal, for a stall's report. */
  get last(): string | undefined {
    return this.lastCode;
  }

  /** A refusal is waiting for `server` to reach the OT client's version. */
  get waitingToSettle(): boolean {
    return this.waiting !== undefined;
  }

  /** Whether `op` was refused for good: it is never sent again. */
  holds(op: OutgoingOp): boolean {
    return op === this.waiting?.op;
  }

  /** The next join reloads the document: nothing is sent until then. */
  get reloading(): boolean {
    return this.reloadFor !== undefined;
  }

  /** Whether a join at `joinedVersion` reloads the document (see reloadFrom), for a client at `version`. */
  reloadDue(joinedVersion: number, version: number): boolean {
    return this.reloadFor !== undefined && (this.reloadFor.always === true || joinedVersion < version);
  }

  /** A VERSION_AHEAD the server no longer gives (it has our version): pending edits are resent as usual. */
  forgetReload(): void {
    this.reloadFor = undefined;
  }

  refuse(refusal: Refusal): void {
    this.lastCode = refusal.error.code;
    if (refusal.error.code === ErrorCode.VERSION_AHEAD) return this.reloadOnNextJoin(refusal);
    this.waiting = refusal;
    this.settle();
  }

  private reloadOnNextJoin(refusal: Refusal & { always?: boolean }): void {
    this.reloadFor = refusal;
    this.host.rejoin();
  }

  /** Takes the refused edit out once `server` stands at the OT client's version. */
  settle(): void {
    const { waiting: refusal, host } = this;
    const ot = host.ot();
    const server = host.server();
    if (!refusal || !ot || !server || server.version !== ot.version) return;
    this.waiting = undefined;
    let taken;
    try {
      taken = takeOutRefused(ot, refusal.op.seq, server.doc.toDelta(), host.content().toDelta());
    } catch {
      // An edit this client cannot undo (it should not happen: OtClient.refuse
      // holds for every edit the document accepted): reload from the server
      // rather than stop, as for VERSION_AHEAD.
      return this.reloadOnNextJoin({ ...refusal, always: true });
    }
    if (!taken) return; // no longer in flight
    host.setContent(LocalDocument.of(taken.content.ops));
    if (taken.change.ops.length > 0) host.changed(taken.change);
    host.pending(ot.pendingCount);
    host.refused({
      error: refusal.error,
      seq: taken.refused.seq,
      edit: taken.refused.delta,
      reloaded: false,
    });
    if (taken.next) host.send(taken.next);
  }

  /**
   * After VERSION_AHEAD, the join's content is all the server has: the
   * document restarts from it, every edit not yet saved is dropped (the app
   * is told), and seqs go on from where they were, never reused.
   */
  reloadFrom(joined: JoinResult): void {
    const { op, error } = this.reloadFor!;
    this.reloadFor = undefined;
    const change = this.host
      .content()
      .toDelta()
      .diff(new Delta(joined.content as Delta['ops']));
    this.host.restartFrom(joined);
    this.waiting = undefined;
    if (change.ops.length > 0) this.host.changed(change);
    this.host.pending(0);
    this.host.refused({ error, seq: op.seq, edit: op.delta, reloaded: true });
  }
}
