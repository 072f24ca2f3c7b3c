import { ErrorCode, JobName, MailJobData, parse } from '@collab/contracts';
import { OnWorkerEvent, WorkerHost } from '@nestjs/bullmq';
import { type Job, UnrecoverableError } from 'bullmq';
import type { Logger } from 'pino';
import { renderMail } from './mail-renderer';
import { MailRefusedError, type MailTransport } from './mail-transport';

/** Why a mail job was given up for good: a metric label. */
export type DeadLetterReason = 'poison' | 'refused' | 'exhausted' | 'stalled';

/** Every {@link DeadLetterReason}, for the metric's zero series. */
export const DEAD_LETTER_REASONS = [
  'poison',
  'refused',
  'exhausted',
  'stalled',
] as const satisfies readonly DeadLetterReason[];

/** What the processor tells the worker's metrics. */
export interface MailProcessorMetrics {
  sent(transport: MailTransport['kind'], seconds: number): void;
  failed(seconds: number): void;
  deadLetter(reason: DeadLetterReason): void;
}

/**
 * A mail job that can never succeed: BullMQ fails it at once, whatever
 * attempts remain (an UnrecoverableError), and it carries its metric label.
 */
class MailDeadLetterError extends UnrecoverableError {
  constructor(
    readonly reason: 'poison' | 'refused',
    message: string,
  ) {
    super(message);
  }
}

/**
 * Sends mail jobs. Delivery is at least once (a worker that dies between the
 * SMTP server's acceptance and the job's completion sends it again on the
 * retry), the usual trade of a mail queue: a rare duplicate mail rather than
 * a lost one. Failures:
 *  - a payload that fails the contract schema, or an unknown job name, can
 *    never succeed: failed at once (an UnrecoverableError), a dead letter;
 *  - a permanent refusal by the SMTP server (5xx): the same, a dead letter;
 *  - anything else (connection refused, timeout, a 4xx reply) is thrown as
 *    is, so the producer's attempts and backoff apply; the last attempt's
 *    failure is a dead letter;
 *  - a job whose worker lost it (killed, or an event loop blocked past its
 *    lock) more than the stalled limit allows: BullMQ fails it without calling
 *    `process`, a dead letter.
 * Dead letters stay in the queue's failed set for inspection (KEEP_FAILED_*)
 * and are counted in /metrics, once each, by {@link onFailed}.
 */
export class MailProcessor extends WorkerHost {
  constructor(
    private readonly transport: MailTransport,
    private readonly publicAppUrl: string,
    private readonly log: Logger,
    private readonly metrics: MailProcessorMetrics,
  ) {
    super();
  }

  async process(job: Job<unknown, void>): Promise<void> {
    if (job.name !== JobName.Mail) {
      throw new MailDeadLetterError(
        'poison',
        `${ErrorCode.BAD_REQUEST}: unknown job name ${JSON.stringify(job.name)}`,
      );
    }
    const parsed = parse(MailJobData, job.data);
    if (!parsed.ok) throw new MailDeadLetterError('poison', `${parsed.error.code}: ${parsed.error.message}`);
    const mail = parsed.value;
    // Addresses are personal data: the log names the job and its kind, not the recipient.
    const log = this.log.child({
      jobId: job.id,
      mailKind: mail.kind,
      docId: mail.docId,
      correlationId: mail.correlationId,
      attempt: job.attemptsMade + 1,
    });
    const started = performance.now();
    try {
      await this.transport.send(renderMail(mail, this.publicAppUrl), log);
    } catch (error) {
      this.metrics.failed((performance.now() - started) / 1000);
      if (error instanceof MailRefusedError) {
        throw new MailDeadLetterError('refused', `mail refused (${error.responseCode}): ${error.message}`);
      }
      log.warn({ err: error }, 'mail not sent');
      throw error;
    }
    this.metrics.sent(this.transport.kind, (performance.now() - started) / 1000);
  }

  /**
   * Counts each job that ends failed for good, once. The worker's 'failed'
   * event fires on every failed attempt, retried or not, and also for a job
   * that BullMQ fails without calling `process`: one that stalled more than
   * `maxStalledCount` times is put back in the wait list marked for failure,
   * and the next worker to take it fails it with an UnrecoverableError ("job
   * stalled more than allowable limit"). Counting at the throw sites in
   * `process` missed that case; counting here sees every final failure on
   * the worker that makes it, with no extra Redis connection (QueueEvents
   * would see them too, but on every replica at once: each would count it).
   * "For good" is BullMQ's own retry rule (Job.shouldRetryJob): an
   * UnrecoverableError, or no attempts left. An attempt whose failure could
   * not be recorded (its lock was lost) emits nothing; the job stalls and
   * is counted when it finally fails.
   */
  @OnWorkerEvent('failed')
  onFailed(job: Job<unknown, void> | undefined, error: Error): void {
    if (job === undefined) return;
    const reason = deadLetterReason(job, error);
    if (reason === undefined) return;
    this.metrics.deadLetter(reason);
    this.log.error(
      { err: error, jobId: job.id, jobName: job.name, attemptsMade: job.attemptsMade, reason },
      'mail job failed for good: dead letter',
    );
  }
}

/** Why `job`, whose last attempt failed with `error`, is given up, or undefined when it will be retried. */
function deadLetterReason(job: Job<unknown, void>, error: Error): DeadLetterReason | undefined {
  if (error instanceof MailDeadLetterError) return error.reason;
  // BullMQ's own: a job stalled past maxStalledCount (the only one of its
  // unrecoverable failures this worker's options can produce).
  if (error instanceof UnrecoverableError) return 'stalled';
  // The event fires after the attempt is recorded: attemptsMade includes it.
  return job.attemptsMade >= (job.opts.attempts ?? 1) ? 'exhausted' : undefined;
}
