/**
 * How often an open document checks that it is not stalled. Every path that
 * leaves a stalled state is meant to end in an event (an ack, a broadcast, a
 * timeout, a reconnect) that moves it on; this check is the backstop for a
 * path that does not, so that an edit is never left unsaved while the
 * connection is up. Two checks in a row must see a stall before it acts.
 */
export const STALL_CHECK_MS = 5_000;

/** What is stalled now (each false when it is not, or when its check does not apply). */
export interface Stalls {
  /** Connected but not joined, with no join on its way or planned: nothing sent is accepted. */
  readonly join: boolean;
  /** An operation in flight that no request awaits an answer for, with no resend scheduled and no ack being applied. */
  readonly op: boolean;
  /** Committed operations or an ack waiting, with no drain running and no gap timer set. */
  readonly drain: boolean;
}

export interface StallRemedies {
  /** Join again. */
  join(): void;
  /** Send the in-flight operation again: the server's dedupe makes a resend safe. */
  op(): void;
  /** Drain, catching up what is missing. */
  drain(): void;
}

const NONE: Stalls = { join: false, op: false, drain: false };

/** The backstop of STALL_CHECK_MS: a remedy runs when two checks in a row see its stall. */
export class StallWatchdog {
  private before: Stalls = NONE;
  private readonly timer: ReturnType<typeof setInterval>;
  /** Stalls found and acted on, for a stall's report. */
  recovered = 0;

  constructor(
    periodMs: number,
    private readonly look: () => Stalls,
    private readonly remedies: StallRemedies,
  ) {
    this.timer = setInterval(() => this.check(), periodMs);
    // In Node, an open document alone does not keep the process running.
    (this.timer as { unref?: () => void }).unref?.();
  }

  check(): void {
    const now = this.look();
    for (const stall of ['join', 'op', 'drain'] as const) {
      if (now[stall] && this.before[stall]) {
        this.recovered++;
        this.remedies[stall]();
      }
    }
    this.before = now;
  }

  stop(): void {
    clearInterval(this.timer);
  }
}
