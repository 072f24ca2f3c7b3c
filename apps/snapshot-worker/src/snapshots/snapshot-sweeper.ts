import { JobName, type SnapshotJobData, snapshotJobId } from '@collab/contracts';
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
    const rows: { id: string; head: string; snapshot: string }[] = await this.dataSource.query(
      `SELECT d.id, d.head_version AS head, COALESCE(s.version, 0) AS snapshot
       FROM documents d
       LEFT JOIN LATERAL (
         SELECT version FROM snapshots WHERE document_id = d.id ORDER BY version DESC LIMIT 1
       ) s ON true
       WHERE d.deleted_at IS NULL AND d.head_version - COALESCE(s.version, 0) > $1
       ORDER BY d.head_version - COALESCE(s.version, 0) DESC
       LIMIT $2`,
      [lagVersions, batch],
    );
    const queued: SnapshotJobData[] = [];
    for (const row of rows) {
      const version = Math.floor(Number(row.head) / every) * every;
      if (version <= Number(row.snapshot)) continue;
      const data: SnapshotJobData = { docId: row.id, version };
      await this.queue.add(JobName.Snapshot, data, {
        jobId: snapshotJobId(row.id, version),
        attempts,
        backoff: { type: 'exponential', delay: backoffMs },
      });
      queued.push(data);
    }
    if (queued.length > 0) this.log.info({ count: queued.length }, 'sweeper queued lagging snapshots');
    return queued;
  }
}
