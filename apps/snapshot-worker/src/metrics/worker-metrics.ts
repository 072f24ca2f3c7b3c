import { createMetricsRegistry, MetricName, type QueueCounts, QueueMetrics } from '@collab/observability';
import type { Logger } from 'pino';
import { Counter, type Registry } from 'prom-client';
import {
  DEAD_LETTER_REASONS,
  type DeadLetterReason,
  type MailProcessorMetrics,
} from '../mail/mail.processor';
import type { MailTransportKind } from '../mail/mail-transport';

/** How a snapshot job ended, as a metric label. */
export type JobOutcome = 'snapshot' | 'document-gone' | 'failed';

/**
 * The metrics of one snapshot worker, served at /metrics: the depth of the
 * queues it consumes by state (read from Redis when scraped, so any worker
 * reports the whole queue: the autoscaler's signal), job durations by queue
 * and outcome, mails sent and dead letters, and Node's default metrics.
 */
export class WorkerMetrics implements MailProcessorMetrics {
  readonly registry: Registry = createMetricsRegistry();
  private readonly queue: QueueMetrics;
  private readonly deadLetters: Counter<'reason'>;
  private readonly mailsSent: Counter<'transport'>;

  /** `queued` is the snapshot queue (its readiness check reads it too); `mail` the mail queue. */
  constructor(
    readonly queued: QueueCounts,
    private readonly mail: QueueCounts,
    log: Logger,
  ) {
    this.queue = new QueueMetrics(this.registry, [queued, mail], (error) =>
      log.warn({ err: error }, 'queue depth not read'),
    );
    this.deadLetters = new Counter({
      name: MetricName.MailDeadLetters,
      help: 'Mail jobs given up for good, by reason (poison payload, refused by the server, attempts exhausted, stalled past the limit).',
      labelNames: ['reason'],
      registers: [this.registry],
    });
    this.mailsSent = new Counter({
      name: MetricName.MailsSent,
      help: 'Mails sent through SMTP, or written to the log when no SMTP_URL is set.',
      labelNames: ['transport'],
      registers: [this.registry],
    });
    // Present from the first scrape, so that an alert on an increase sees the zero.
    for (const reason of DEAD_LETTER_REASONS) this.deadLetters.inc({ reason }, 0);
  }

  job(seconds: number, outcome: JobOutcome): void {
    this.queue.jobSeconds.observe({ queue: this.queued.name, outcome }, seconds);
  }

  sent(transport: MailTransportKind, seconds: number): void {
    this.mailsSent.inc({ transport });
    this.queue.jobSeconds.observe({ queue: this.mail.name, outcome: 'sent' }, seconds);
  }

  failed(seconds: number): void {
    this.queue.jobSeconds.observe({ queue: this.mail.name, outcome: 'failed' }, seconds);
  }

  deadLetter(reason: DeadLetterReason): void {
    this.deadLetters.inc({ reason });
  }
}
