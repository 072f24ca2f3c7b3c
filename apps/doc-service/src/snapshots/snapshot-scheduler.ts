import { JobName, type SnapshotJobData, snapshotJobId } from '@collab/contracts';
import type { Queue } from 'bullmq';

export interface SnapshotSchedulerOptions {
  /** A snapshot every this many versions. */
  readonly every: number;
  /** Told when a job could not be queued (the sweeper re-queues it later). */
  readonly onError: (error: unknown, docId: string, version: number) => void;
}

/**
 * Queues a snapshot job each time a commit crosses a multiple of `every`.
 * The job id is derived from document and version, so a job queued twice
 * (a retried commit, two owners around a hand-over) is stored once.
 * Queueing never delays an acknowledgement: it runs after the commit and its
 * failure only loses a snapshot, which the worker's sweeper finds again.
 */
export class SnapshotScheduler {
  constructor(
    private readonly queue: Queue<SnapshotJobData>,
    private readonly options: SnapshotSchedulerOptions,
  ) {}

  committed(docId: string, fromVersion: number, toVersion: number, correlationId?: string): void {
    const { every } = this.options;
    const last = Math.floor(toVersion / every) * every;
    if (last < fromVersion) return;
    // One job per crossed multiple would be redundant: a job folds everything up
    // to its version, so only the newest multiple is queued.
    const data: SnapshotJobData = correlationId
      ? { docId, version: last, correlationId }
      : { docId, version: last };
    this.queue
      .add(JobName.Snapshot, data, {
        jobId: snapshotJobId(docId, last),
        // A failed build (PostgreSQL briefly away) is retried with backoff; the
        // worker keeps finished jobs only for a while, so the id frees up again.
        attempts: 5,
        backoff: { type: 'exponential', delay: 1000 },
        removeOnComplete: { age: 3600, count: 10_000 },
        removeOnFail: { age: 24 * 3600, count: 10_000 },
      })
      .catch((error: unknown) => this.options.onError(error, docId, last));
  }
}
