import { JobName, type SnapshotJobData, snapshotJobId } from '@collab/contracts';
import { documentsBehindSnapshots, documentsWithoutAttribution } from '@collab/persistence';
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
  /** Documents per sweep at most, of each kind; the backfill holds off while this many jobs wait. */
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
 *
 * It also backfills attribution: a document whose newest snapshot predates
 * attribution (no `snapshot_attributions` row) makes every history read fold
 * its log from version 0, so the sweeper queues that snapshot's job again;
 * the builder finds the snapshot there and stores only its attribution and
 * sessions. It walks those documents `batch` at a time in id order, resuming
 * after the last one it saw (from the start again once it reaches the end),
 * and only while fewer than `batch` jobs wait: live snapshots go first and
 * the backfill never floods the queue. A job collapsing with one kept under
 * the same id (an old job of that version) is retried on a later pass.
 */
export class SnapshotSweeper {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<unknown> | undefined;
  /** The last document id the attribution backfill queued or skipped; null: start over. */
  private backfillAfter: string | null = null;

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
    const lagging = await this.sweepLagging();
    const backfill = await this.sweepUnattributed();
    return [...lagging, ...backfill];
  }

  private async sweepLagging(): Promise<SnapshotJobData[]> {
    const { every, lagVersions, batch } = this.options;
    const lagging = await documentsBehindSnapshots(this.dataSource.manager, lagVersions, batch);
    const queued: SnapshotJobData[] = [];
    for (const doc of lagging) {
      const version = Math.floor(doc.headVersion / every) * every;
      if (version <= doc.snapshotVersion) continue;
      queued.push(await this.queueSnapshot(doc.documentId, version));
    }
    if (queued.length > 0) this.log.info({ count: queued.length }, 'sweeper queued lagging snapshots');
    return queued;
  }

  /** The next batch of documents whose newest snapshot has no attribution, unless the queue is busy. */
  private async sweepUnattributed(): Promise<SnapshotJobData[]> {
    const { batch } = this.options;
    if ((await this.queue.getWaitingCount()) >= batch) return [];
    const documents = await documentsWithoutAttribution(this.dataSource.manager, this.backfillAfter, batch);
    // A short page reached the end: the next pass starts over (and finds what is still missing).
    this.backfillAfter = documents.length < batch ? null : (documents.at(-1)?.documentId ?? null);
    const queued: SnapshotJobData[] = [];
    for (const doc of documents) queued.push(await this.queueSnapshot(doc.documentId, doc.snapshotVersion));
    if (queued.length > 0) this.log.info({ count: queued.length }, 'sweeper queued attribution backfill');
    return queued;
  }

  private async queueSnapshot(docId: string, version: number): Promise<SnapshotJobData> {
    const data: SnapshotJobData = { docId, version };
    await this.queue.add(JobName.Snapshot, data, {
      jobId: snapshotJobId(docId, version),
      attempts: this.options.attempts,
      backoff: { type: 'exponential', delay: this.options.backoffMs },
    });
    return data;
  }
}
