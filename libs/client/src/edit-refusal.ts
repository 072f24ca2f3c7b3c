import type { WireError } from '@collab/contracts';
import type { OtClient, OutgoingOp } from '@collab/ot';
import Delta from 'quill-delta';

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
export interface TakenOut {
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
export function takeOutRefused(ot: OtClient, seq: number, server: Delta, local: Delta): TakenOut | null {
  const result = ot.refuse(seq, server);
  if (!result) return null;
  const content = result.next ? server.compose(result.next.delta) : server;
  // Composing a clipped edit's undo may leave deletes past the end: keep the document.
  const viaApply = new Delta(local.compose(result.apply).filter((op) => op.insert !== undefined));
  const change = viaApply.diff(content).ops.length === 0 ? result.apply : local.diff(content);
  return { content, change, refused: result.refused, next: result.next };
}
