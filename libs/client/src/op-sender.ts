import { ClientEvent, ErrorCode } from '@collab/contracts';
import type { OtClient, OutgoingOp } from '@collab/ot';
import type { Refusal } from './edit-refusal';
import { isRetryable } from './client-retry';
import type { Transport } from './transport/transport';

/** What the sender needs of its document. */
export interface OpSenderHost {
  /** The OT client, once the document is loaded. */
  ot(): OtClient | undefined;
  /** Whether `op` may go now: on a connection that has joined, neither refused for good nor waiting for a reload. */
  mayGo(op: OutgoingOp): boolean;
  /** The in-flight operation `seq` committed as `version`: the committed stream applies it in version order. */
  answer(seq: number, version: number): void;
  /** The gateway does not know this connection's join: join again (the join sends the operation again). */
  notJoined(): void;
  /** A final refusal of the operation in flight (RefusedEdits). */
  refuse(refusal: Refusal): void;
  /** The wait before retry `attempt` (clientRetryDelay). */
  retryDelay(attempt: number): number;
}

/**
 * The operation in flight on the wire: sends it on a joined connection and
 * takes its answer. A retryable refusal (no owner reachable, a timeout) sends
 * it again, unchanged, after the back-off: the server's dedupe applies it
 * exactly once. A refusal that retrying cannot fix goes to RefusedEdits.
 */
export class OpSender {
  private sendTimer: ReturnType<typeof setTimeout> | undefined;
  /** Requests for the in-flight operation awaiting their answer, and whether a resend is scheduled. */
  private opRequests = 0;
  private resendScheduled = false;
  /** Retries of the operation `retriedOp` (see clientRetryDelay). */
  private sendRetries = 0;
  private retriedOp: OutgoingOp | undefined;

  constructor(
    private readonly docId: string,
    private readonly transport: Transport,
    private readonly host: OpSenderHost,
  ) {}

  /** A request for the in-flight operation awaits its answer, or a resend is scheduled: it is not stalled. */
  get busy(): boolean {
    return this.opRequests > 0 || this.resendScheduled;
  }

  /** No resend after the document closed. */
  stop(): void {
    clearTimeout(this.sendTimer);
  }

  send(op: OutgoingOp): void {
    // Sent again after the next join; a refused one, never.
    if (!this.host.mayGo(op)) return;
    const payload = {
      docId: this.docId,
      clientId: op.clientId,
      seq: op.seq,
      baseVersion: op.baseVersion,
      delta: op.delta.ops,
    };
    this.opRequests++;
    void this.transport.request(ClientEvent.Op, payload as never).then((result) => {
      this.opRequests--;
      const ot = this.host.ot();
      if (result.ok) {
        // Committed as `version`. Unless its broadcast (with others' operations)
        // acknowledged it already, this is the acknowledgement: the stream
        // applies it in version order.
        if (ot?.inFlight() === op && result.value.version > ot.version) {
          this.host.answer(op.seq, result.value.version);
        }
        return;
      }
      if (ot?.inFlight() !== op) return;
      if (result.error.code === ErrorCode.NOT_JOINED) {
        // The gateway does not know this connection's join (it forgot it in a
        // failover, or the operation overtook the join): nothing was applied.
        // Join again; the join sends the operation again.
        this.host.notJoined();
        return;
      }
      if (isRetryable(result.error)) {
        clearTimeout(this.sendTimer);
        this.resendScheduled = true;
        this.sendRetries = this.retriedOp === op ? this.sendRetries + 1 : 1;
        this.retriedOp = op;
        this.sendTimer = setTimeout(() => {
          this.resendScheduled = false;
          if (this.host.ot()?.inFlight() === op) this.send(op);
        }, this.host.retryDelay(this.sendRetries));
        return;
      }
      this.host.refuse({ op, error: result.error });
    });
  }
}
