import { JobName, type SnapshotJobData, snapshotJobId } from '@collab/contracts';
import { documentsBehindSnapshots } from '@collab/persistence';
import type { Queue } from 'bullmq';
import type { Logger } from 'pino';
import type { DataSource } from 'typeorm';

export interface SnapshotSweeperOptions {
  /** Milliseconds between sweeps; 0 never sweeps on a timer. */
  readonly intervalMs: number;
  /** A document is swept when head - newest snapshot version exceeds this. */
  readonly lagVersions: number;
  /** Snapshots are taken at multiples of this. */
  readonly every: number;
  readonly batch: number;
  readonly attempts: number;
  readonly backoffMs: number;
}

/**
 * Finds documents whose newest snapshot lags their head (jobs lost with a
 * Redis restart, a queue call that failed after a commit, a job that failed
 * for good and was pruned) and queues the newest multiple again. It uses the
 * producers' job id, so a job already waiting, active or kept after
 * completion collapses with it, and every worker replica can sweep.
 */
export class SnapshotSweeper {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<unknown> | undefined;

  constructor(
    private readonly dataSource: DataSource,
    private readonly queue: Queue<SnapshotJobData>,
    private readonly options: SnapshotSweeperOptions,
    private readonly log: Logger,
  ) {}

  start(): void {
    if (this.options.intervalMs <= 0 || this.timer) return;
    this.timer = setInterval(() => {
      // A slow sweep is never overlapped by the next tick.
      if (this.running) return;
      this.running = this.sweep()
        .catch((error: unknown) => this.log.warn({ err: error }, 'snapshot sweep failed'))
        .finally(() => (this.running = undefined));
    }, this.options.intervalMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    this.timer = undefined;
    await this.running;
  }

  /** One sweep; returns the jobs it queued (new or collapsed into existing ones). */
  async sweep(): Promise<SnapshotJobData[]> {
    const { every, lagVersions, batch, attempts, backoffMs } = this.options;
    const lagging = await documentsBehindSnapshots(this.dataSource.manager, lagVersions, batch);
    const queued: SnapshotJobData[] = [];
    for (const doc of lagging) {
      const version = Math.floor(doc.headVersion / every) * every;
      if (version <= doc.snapshotVersion) continue;
      const data: SnapshotJobData = { docId: doc.documentId, version };
      await this.queue.add(JobName.Snapshot, data, {
        jobId: snapshotJobId(doc.documentId, version),
        attempts,
        backoff: { type: 'exponential', delay: backoffMs },
      });
      queued.push(data);
    }
    if (queued.length > 0) this.log.info({ count: queued.length }, 'sweeper queued lagging snapshots');
    return queued;
  }
}
