import Delta, { type Op } from 'quill-delta';
import {
  type DeltaSelection,
  type PositionStep,
  transformSelectionThrough,
  untransformSelection,
} from './cursor';
import { copyDelta, freezeOp, normalizedDelta, sameOps } from './op-copies';
import {
  ClientState,
  type ClientSnapshot,
  type DeltaLike,
  type OtClientInit,
  type OutgoingOp,
  type PendingState,
  PresenceKind,
  type PresenceResult,
  ReceiveKind,
  type ReceiveResult,
  type RefuseResult,
  type RemotePresence,
  type ServerOp,
} from './ot-client.types';

export * from './ot-client.types';

type InFlight = {
  readonly op: OutgoingOp;
  /** `op.delta` transformed against the server ops after its base, up to `version`. */
  rebased: Delta;
};

type HistoryEntry = Readonly<{ version: number; delta: Delta; clientId: string }>;

/**
 * The client side of the OT protocol for one document: at most one operation
 * in flight, later local edits composed into a buffer, remote operations
 * transformed against both.
 *
 * Invariant: local document = server document at `version` ∘ rebased
 * in-flight ∘ buffer. Priorities mirror the server, which gives committed
 * operations priority (`inFlight' = remote.transform(inFlight, true)`): here
 * `remote' = inFlight.transform(remote, false)`, so that by quill-delta's
 * `a ∘ a.transform(b, true) = b ∘ b.transform(a, false)` both sides reach
 * the same document.
 *
 * Pure and synchronous: it returns what to send and what to apply; sockets,
 * timers and the editor belong to the caller.
 */
export class OtClient {
  readonly clientId: string;
  private _version: number;
  private _nextSeq: number;
  private _inFlight: InFlight | null = null;
  private _buffer: Delta | null = null;
  private readonly historyLimit: number;
  private readonly history: HistoryEntry[] = [];

  constructor(init: OtClientInit) {
    assertCount(init.version, 'version');
    this.clientId = init.clientId;
    this._version = init.version;
    this._nextSeq = init.nextSeq ?? 0;
    assertCount(this._nextSeq, 'nextSeq');
    this.historyLimit = init.historyLimit ?? 200;
    assertCount(this.historyLimit, 'historyLimit');
    if (init.pending) this.restore(init.pending);
  }

  private restore(pending: PendingState): void {
    const op = pending.inFlight;
    assertCount(op.seq, 'pending.inFlight.seq');
    assertCount(op.baseVersion, 'pending.inFlight.baseVersion');
    if (op.baseVersion > this._version) {
      throw new RangeError(
        `pending.inFlight.baseVersion ${op.baseVersion} is after version ${this._version}`,
      );
    }
    if (op.baseVersion < this._version && pending.rebased == null) {
      throw new RangeError('pending.rebased is required when the in-flight op is older than version');
    }
    // A restored op from an earlier session may carry another clientId; only
    // our own ids constrain the next seq.
    if (op.clientId === this.clientId && this._nextSeq <= op.seq) this._nextSeq = op.seq + 1;
    const frozen = freezeOp(op);
    this._inFlight = { op: frozen, rebased: copyDelta(pending.rebased ?? frozen.delta) };
    this._buffer = pending.buffer ? copyDelta(pending.buffer) : null;
  }

  /** The server version the local document is based on (ops applied so far). */
  get version(): number {
    return this._version;
  }

  /** The seq the next outgoing operation will get. */
  get nextSeq(): number {
    return this._nextSeq;
  }

  get state(): ClientState {
    if (!this._inFlight) return ClientState.synchronized;
    return this._buffer ? ClientState.awaitingWithBuffer : ClientState.awaitingConfirm;
  }

  /** Operations still to be acknowledged: 0, 1 (in flight) or 2 (in flight + buffer). */
  get pendingCount(): number {
    return (this._inFlight ? 1 : 0) + (this._buffer ? 1 : 0);
  }

  /**
   * Record a local edit, already applied to the local document. Returns the
   * operation to send now, or null when it was buffered (or was a no-op).
   * The delta is copied: later changes to the caller's object do not leak in.
   */
  applyLocal(delta: DeltaLike): OutgoingOp | null {
    const edit = normalizedDelta(delta);
    if (edit.ops.length === 0) return null;
    if (this._inFlight) {
      this._buffer = this._buffer ? this._buffer.compose(edit) : edit;
      return null;
    }
    return this.send(edit);
  }

  private send(delta: Delta): OutgoingOp {
    const op = freezeOp({ clientId: this.clientId, seq: this._nextSeq, baseVersion: this._version, delta });
    this._nextSeq += 1;
    this._inFlight = { op, rebased: op.delta };
    return op;
  }

  /**
   * Handle one committed operation from the server (broadcast or catch-up),
   * which must arrive in version order. Our own in-flight `(clientId, seq)` is
   * the acknowledgement; anything else is a remote operation.
   */
  receive(message: ServerOp): ReceiveResult {
    if (message.version <= this._version) return { kind: ReceiveKind.stale, version: message.version };
    if (message.version !== this._version + 1) {
      return { kind: ReceiveKind.gap, expected: this._version + 1, received: message.version };
    }
    const committed = normalizedDelta(message.delta);
    const inFlight = this._inFlight;
    this.remember({ version: message.version, delta: committed, clientId: message.clientId });
    this._version = message.version;

    if (inFlight && message.clientId === inFlight.op.clientId && message.seq === inFlight.op.seq) {
      const matches = sameOps(committed.ops, inFlight.rebased.ops);
      this._inFlight = null;
      const buffer = this._buffer;
      this._buffer = null;
      // The buffer was kept rebased on top of the in-flight op, which is now
      // exactly server version `version`: it can go out as is.
      const next = buffer ? this.send(buffer) : null;
      return { kind: ReceiveKind.ack, version: message.version, delta: committed, next, matches };
    }

    let apply = committed;
    if (inFlight) {
      // Never touch inFlight.op: only its rebased copy follows the server.
      const rebased = committed.transform(inFlight.rebased, true);
      apply = inFlight.rebased.transform(apply, false);
      inFlight.rebased = rebased;
    }
    if (this._buffer) {
      const buffer = apply.transform(this._buffer, true);
      apply = this._buffer.transform(apply, false);
      this._buffer = buffer;
    }
    return { kind: ReceiveKind.remote, version: message.version, apply };
  }

  /**
   * The server's answer to our in-flight operation: it committed as
   * `version`, and its broadcast will not come to us (the server leaves the
   * submitter out of a commit holding only its operation). Taken exactly as
   * receiving that broadcast, with our rebased copy as the committed delta:
   * both sides transform the same operation through the same operations in
   * the same order with the same tie-break, so they are equal (the check
   * {@link ReceiveResult} `matches` reports on a broadcast).
   *
   * Only the next version can be acknowledged (`gap` when versions before
   * it have not been received yet: deliver them first); an answer for an
   * operation no longer in flight, or already received, is `stale`.
   */
  acknowledge(seq: number, version: number): ReceiveResult {
    const inFlight = this._inFlight;
    if (!inFlight || inFlight.op.seq !== seq || version <= this._version) {
      return { kind: ReceiveKind.stale, version };
    }
    return this.receive({
      version,
      delta: inFlight.rebased,
      clientId: inFlight.op.clientId,
      seq: inFlight.op.seq,
    });
  }

  /**
   * The server refused our in-flight operation for good (a validation
   * failure, a size limit, a lost permission): it will never commit, so it
   * is dropped, and the buffered edits are rebased as if it had never been
   * made. `document` is the server's document at {@link version} (the
   * in-flight operation's rebased copy applies to it), which this pure state
   * machine does not keep; the caller does.
   *
   * With L = S ∘ R ∘ B the local document (S the server document, R the
   * rebased in-flight operation, B the buffer) and U = R⁻¹ against S, both U
   * and B apply to S ∘ R. So B' = U.transform(B, true) applies to S ∘ R ∘ U
   * = S, and the local document moves by B.transform(U, false) to
   * S ∘ R ∘ B ∘ B.transform(U, false) = S ∘ R ∘ U ∘ B' = S ∘ B': again the
   * server document with this client's (remaining) pending edits on top,
   * the invariant every later operation relies on. B' goes out as a new
   * operation with a fresh seq (the refused seq is never reused).
   *
   * Returns null when `seq` is not the operation in flight (already handled).
   */
  refuse(seq: number, document: DeltaLike): RefuseResult | null {
    const inFlight = this._inFlight;
    if (!inFlight || inFlight.op.seq !== seq) return null;
    const undo = inFlight.rebased.invert(new Delta(document.ops as Op[]));
    const buffer = this._buffer;
    this._inFlight = null;
    this._buffer = null;
    if (!buffer) return { apply: normalizedDelta(undo), refused: inFlight.op, next: null };
    const rest = normalizedDelta(undo.transform(buffer, true));
    const apply = normalizedDelta(buffer.transform(undo, false));
    return { apply, refused: inFlight.op, next: rest.ops.length > 0 ? this.send(rest) : null };
  }

  /**
   * The operation in flight, to resend after a reconnect: the same frozen
   * object that was first sent (same clientId, seq, baseVersion and delta).
   */
  inFlight(): OutgoingOp | null {
    return this._inFlight ? this._inFlight.op : null;
  }

  /** The state to persist in an offline outbox; pass `pending` back in {@link OtClientInit}. */
  snapshot(): ClientSnapshot {
    const inFlight = this._inFlight;
    return {
      clientId: this.clientId,
      version: this._version,
      nextSeq: this._nextSeq,
      pending: inFlight
        ? {
            inFlight: inFlight.op,
            rebased: copyDelta(inFlight.rebased),
            buffer: this._buffer && copyDelta(this._buffer),
          }
        : null,
    };
  }

  /**
   * This user's selection on the local document, expressed at the current
   * server version for presence. Text that is still unacknowledged does not
   * exist at that version: a caret inside it is placed at its insertion point.
   */
  presenceOut(selection: DeltaSelection): Readonly<{ version: number; selection: DeltaSelection }> {
    let sel = selection;
    if (this._buffer) sel = untransformSelection(sel, this._buffer);
    if (this._inFlight) sel = untransformSelection(sel, this._inFlight.rebased);
    return { version: this._version, selection: sel };
  }

  /**
   * Place another user's presence on the local document: move it through the
   * committed operations after its version (their own edits move their caret
   * as typing does) and then through this client's unacknowledged edits
   * (which, for them, are somebody else's). The editor should still clamp the
   * result to the document length, as presence comes from another client.
   */
  presenceIn(presence: RemotePresence): PresenceResult {
    const { anchor, head } = presence.selection;
    if (!isCount(anchor) || !isCount(head) || !isCount(presence.version))
      return { kind: PresenceKind.dropped };
    if (presence.version > this._version) return { kind: PresenceKind.ahead };
    const missing = this._version - presence.version;
    if (missing > this.history.length) return { kind: PresenceKind.dropped };
    const steps: PositionStep[] = this.history
      .slice(this.history.length - missing)
      .map((entry) => ({ delta: entry.delta, ownEdit: entry.clientId === presence.clientId }));
    if (this._inFlight) steps.push({ delta: this._inFlight.rebased, ownEdit: false });
    if (this._buffer) steps.push({ delta: this._buffer, ownEdit: false });
    return { kind: PresenceKind.placed, selection: transformSelectionThrough(presence.selection, steps) };
  }

  private remember(entry: HistoryEntry): void {
    if (this.historyLimit === 0) return;
    this.history.push(entry);
    if (this.history.length > this.historyLimit) this.history.shift();
  }
}

function isCount(n: number): boolean {
  return Number.isSafeInteger(n) && n >= 0;
}

function assertCount(n: number, name: string): void {
  if (!isCount(n)) throw new RangeError(`${name} must be a non-negative integer, got ${String(n)}`);
}
