import type { CommittedOp } from '@collab/contracts';
import type { OtClient } from '@collab/ot';
import type { RequestResult } from './transport/transport';

/**
 * How long a missing version may still arrive by itself (our own operation's
 * ack, or broadcasts an ack overtook) before it is read from the log.
 */
const GAP_WAIT_MS = 500;

/** What the stream needs of its document. */
export interface CommittedStreamHost {
  /** The OT client, once the document is loaded. */
  ot(): OtClient | undefined;
  /** True while nothing may be applied (an outbox restore is rebuilding the document). */
  blocked(): boolean;
  closed(): boolean;
  /** Applies one committed operation, the next version. */
  apply(op: CommittedOp): void;
  /** Takes the answer to our in-flight operation `seq` as its acknowledgement at `version` (the next version). */
  acknowledge(seq: number, version: number): void;
  /** One page of the log after `fromVersion` (retried while that can help). */
  readPage(fromVersion: number): Promise<RequestResult<'catchup'>>;
}

/**
 * The committed stream of one document: every committed operation is
 * applied strictly in version order, one at a time: broadcasts from the
 * inbox, and our own operation at the version its ack names (a commit of our
 * operation alone is not broadcast to us). A missing version is caught up
 * from the log, except while it may still arrive: our own operation whose
 * ack is on its way (one version at most: one operation in flight), or
 * broadcasts that the ack overtook (acks and broadcasts reach the gateway
 * over different connections). Those get GAP_WAIT_MS first.
 */
export class CommittedStream {
  /** Incoming committed operations, processed one at a time in arrival order. */
  private inbox: CommittedOp[] = [];
  private processing = false;
  /** The version our in-flight operation (`seq`) committed as, from its ack, until it is applied. */
  private answered: { seq: number; version: number } | undefined;
  private gapTimer: ReturnType<typeof setTimeout> | undefined;
  /** Set while a drain runs after GAP_WAIT_MS: missing versions are caught up, not awaited. */
  private gapWaitOver = false;

  constructor(private readonly host: CommittedStreamHost) {}

  /** Nothing received is waiting to be applied. */
  get idle(): boolean {
    return this.inbox.length === 0 && !this.processing;
  }

  /** Whether the answer to in-flight operation `seq` is waiting to be applied. */
  answering(seq: number): boolean {
    return this.answered?.seq === seq;
  }

  /** Broadcast operations, in the order they came. */
  receive(ops: readonly CommittedOp[]): void {
    this.inbox.push(...ops);
    void this.drain();
  }

  /** Our in-flight operation `seq` committed as `version`: applied in version order. */
  answer(seq: number, version: number): void {
    this.answered = { seq, version };
    void this.drain();
  }

  /** Forgets what is at or below `version` (the document restarted there). */
  restartAt(version: number): void {
    this.inbox = this.inbox.filter((op) => op.version > version);
    this.answered = undefined;
  }

  /** Committed operations or an ack waiting, with no drain running and no gap timer to apply them. */
  get stalled(): boolean {
    return !this.processing && !this.gapTimer && (this.inbox.length > 0 || this.answered !== undefined);
  }

  async drain(): Promise<void> {
    if (this.processing || !this.host.ot()) return;
    this.processing = true;
    try {
      for (let ot = this.host.ot(); ot && !this.host.blocked(); ot = this.host.ot()) {
        const answered = this.answered;
        if (answered && (ot.inFlight()?.seq !== answered.seq || answered.version <= ot.version)) {
          this.answered = undefined; // acknowledged already (broadcast or catch-up)
          continue;
        }
        if (answered?.version === ot.version + 1) {
          this.answered = undefined;
          this.host.acknowledge(answered.seq, answered.version);
          continue;
        }
        const op = this.inbox[0];
        const behind = op ? op.version - 1 : answered?.version;
        if (behind === undefined) break; // nothing to apply
        if (behind > ot.version) {
          // Missing versions: wait while they may still come, else read them from the log.
          const mayArrive = op ? !answered && ot.inFlight() !== null && behind === ot.version + 1 : true;
          if (mayArrive && !this.gapWaitOver) {
            this.waitForGap();
            break;
          }
          await this.catchUp(behind);
          const now = this.host.ot();
          if (!now || now.version < behind) break; // still missing: wait for the next event
          continue;
        }
        this.inbox.shift();
        this.host.apply(op!);
      }
    } finally {
      this.processing = false;
    }
  }

  /** Reads committed operations after our version until `head`, applying them in order. */
  async catchUp(head: number): Promise<void> {
    for (let ot = this.host.ot(); ot && ot.version < head; ot = this.host.ot()) {
      // Refused for good, or disconnected: the next join catches up.
      const page = await this.host.readPage(ot.version);
      if (!page.ok) return;
      for (const op of page.value.ops) this.host.apply(op);
      if (!page.value.hasMore || page.value.ops.length === 0) break;
    }
  }

  /** A drain that reads every missing version from the log instead of waiting for it. */
  drainCatchingUp(): void {
    this.gapWaitOver = true;
    void this.drain().finally(() => (this.gapWaitOver = false));
  }

  /** Where the stream stands, for a stall's report. */
  describe(): object {
    return {
      answered: this.answered ?? null,
      inbox: this.inbox.map((op) => op.version).slice(0, 5),
      processing: this.processing,
      gapTimer: this.gapTimer !== undefined,
    };
  }

  close(): void {
    clearTimeout(this.gapTimer);
    this.gapTimer = undefined;
  }

  /** Runs drain again after GAP_WAIT_MS, catching up whatever is still missing then. */
  private waitForGap(): void {
    if (this.gapTimer || this.host.closed()) return;
    this.gapTimer = setTimeout(() => {
      this.gapTimer = undefined;
      this.drainCatchingUp();
    }, GAP_WAIT_MS);
  }
}
