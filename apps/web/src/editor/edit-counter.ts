/**
 * Counts a person's unsaved edits (one per local submit: a keystroke, a
 * paste, a formatting change) from the SDK's operation counts.
 *
 * The SDK holds at most two operations: one in flight, and a buffer that
 * later edits compose into. So an edit made with nothing pending becomes the
 * in-flight operation, and an edit made while one is pending joins the
 * buffer. When the pending count falls (an ack), the in-flight operation and
 * its edits are durable and the buffer's edits are now in flight; at zero,
 * nothing is unsaved. A refused edit also lowers the count: its edits are
 * gone, not pending, so they leave the count the same way.
 */
export interface EditCount {
  readonly inFlight: number;
  readonly buffered: number;
}

const NO_EDITS: EditCount = { inFlight: 0, buffered: 0 };

export class EditCounter {
  private count: EditCount;
  private operations: number;

  /** `restored`: the count an earlier visit saved with its replica; `operations`: the SDK's pending count now. */
  constructor(restored: EditCount | null = null, operations = 0) {
    this.operations = operations;
    // A replica saved without a count (an older app) still has its operations to send: at least one edit each.
    this.count =
      operations === 0 ? NO_EDITS : (restored ?? { inFlight: 1, buffered: operations > 1 ? 1 : 0 });
  }

  /** Call before each local submit. */
  edited(): void {
    this.count =
      this.operations === 0
        ? { inFlight: this.count.inFlight + 1, buffered: 0 }
        : { ...this.count, buffered: this.count.buffered + 1 };
    // The submit raises the SDK's count; until its event arrives the edit counts as pending.
    this.operations = Math.max(this.operations, 1);
  }

  /** Call with every SDK `pending` event. */
  pending(operations: number): void {
    if (operations === 0) this.count = NO_EDITS;
    else if (operations < this.operations) this.count = { inFlight: this.count.buffered, buffered: 0 };
    this.operations = operations;
  }

  get unsaved(): number {
    return this.count.inFlight + this.count.buffered;
  }

  get snapshot(): EditCount {
    return this.count;
  }
}
