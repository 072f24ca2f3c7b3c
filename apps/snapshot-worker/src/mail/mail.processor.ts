import { ErrorCode, JobName, MailJobData, parse } from '@collab/contracts';
import { WorkerHost } from '@nestjs/bullmq';
import { type Job, UnrecoverableError } from 'bullmq';
import type { Logger } from 'pino';
import { renderMail } from './mail-renderer';
import { MailRefusedError, type MailTransport } from './mail-transport';

/** Why a mail job was given up for good: a metric label. */
export type DeadLetterReason = 'poison' | 'refused' | 'exhausted';

/** What the processor tells the worker's metrics. */
export interface MailProcessorMetrics {
  sent(transport: MailTransport['kind'], seconds: number): void;
  failed(seconds: number): void;
  deadLetter(reason: DeadLetterReason): void;
}

/**
 * Sends mail jobs. Delivery is at least once (a worker that dies between the
 * SMTP server's acceptance and the job's completion sends it again on the
 * retry), the usual trade of a mail queue: a rare duplicate mail rather than
 * a lost one. Failures:
 *  - a payload that fails the contract schema, or an unknown job name, can
 *    never succeed: BullMQ's UnrecoverableError, failed at once, a dead letter;
 *  - a permanent refusal by the SMTP server (5xx): the same, a dead letter;
 *  - anything else (connection refused, timeout, a 4xx reply) is thrown as
 *    is, so the producer's attempts and backoff apply; the last attempt's
 *    failure is a dead letter.
 * Dead letters stay in the queue's failed set for inspection (KEEP_FAILED_*)
 * and are counted in /metrics.
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
      this.log.error({ jobId: job.id, jobName: job.name }, 'unknown mail job name: failing without retry');
      this.metrics.deadLetter('poison');
      throw new UnrecoverableError(`${ErrorCode.BAD_REQUEST}: unknown job name ${JSON.stringify(job.name)}`);
    }
    const parsed = parse(MailJobData, job.data);
    if (!parsed.ok) {
      this.log.error({ jobId: job.id, error: parsed.error }, 'poison mail job: failing without retry');
      this.metrics.deadLetter('poison');
      throw new UnrecoverableError(`${parsed.error.code}: ${parsed.error.message}`);
    }
    const mail = parsed.value;
    const attempt = job.attemptsMade + 1;
    // Addresses are personal data: the log names the job and its kind, not the recipient.
    const log = this.log.child({
      jobId: job.id,
      mailKind: mail.kind,
      docId: mail.docId,
      correlationId: mail.correlationId,
      attempt,
    });
    const started = performance.now();
    try {
      await this.transport.send(renderMail(mail, this.publicAppUrl), log);
    } catch (error) {
      this.metrics.failed((performance.now() - started) / 1000);
      if (error instanceof MailRefusedError) {
        log.error(
          { err: error, responseCode: error.responseCode },
          'mail refused by the server: dead letter',
        );
        this.metrics.deadLetter('refused');
        throw new UnrecoverableError(`mail refused (${error.responseCode}): ${error.message}`);
      }
      const last = attempt >= (job.opts.attempts ?? 1);
      if (last) this.metrics.deadLetter('exhausted');
      log.warn(
        { err: error, last },
        last ? 'mail not sent, attempts exhausted: dead letter' : 'mail not sent',
      );
      throw error;
    }
    this.metrics.sent(this.transport.kind, (performance.now() - started) / 1000);
  }
}
