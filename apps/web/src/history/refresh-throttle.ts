/**
 * Runs `run` at most once per `intervalMs` however often it is asked: the
 * first request runs on the next tick, the requests that come within the
 * interval after a run fold into one run when it has passed. So the history
 * list follows a document being typed into (an operation every few
 * milliseconds) with one listing request every few seconds, and the last
 * change is never left out.
 */
export class RefreshThrottle {
  private timer: ReturnType<typeof setTimeout> | undefined;
  private lastRun = Number.NEGATIVE_INFINITY;

  constructor(
    private readonly run: () => void,
    private readonly intervalMs: number,
    private readonly now: () => number = () => Date.now(),
  ) {}

  request(): void {
    if (this.timer !== undefined) return;
    const wait = Math.max(0, this.lastRun + this.intervalMs - this.now());
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.lastRun = this.now();
      this.run();
    }, wait);
  }

  /** Drops a run not yet made (the panel closed). */
  cancel(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
  }
}
