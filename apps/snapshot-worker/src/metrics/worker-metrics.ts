import { createMetricsRegistry, type QueueCounts, QueueMetrics } from '@collab/observability';
import type { Logger } from 'pino';
import type { Registry } from 'prom-client';

/** How a snapshot job ended, as a metric label. */
export type JobOutcome = 'snapshot' | 'document-gone' | 'failed';

/**
 * The metrics of one snapshot worker, served at /metrics: the queue's depth
 * by state (read from Redis when scraped, so any worker reports the whole
 * queue: the autoscaler's signal), job durations by outcome, and Node's
 * default metrics.
 */
export class WorkerMetrics {
  readonly registry: Registry = createMetricsRegistry();
  private readonly queue: QueueMetrics;

  /** `queued` is the queue this worker consumes (its readiness check reads it too). */
  constructor(
    readonly queued: QueueCounts,
    log: Logger,
  ) {
    this.queue = new QueueMetrics(this.registry, [queued], (error) =>
      log.warn({ err: error }, 'queue depth not read'),
    );
  }

  job(seconds: number, outcome: JobOutcome): void {
    this.queue.jobSeconds.observe({ queue: this.queued.name, outcome }, seconds);
  }
}
