import {
  type InvitationMail,
  JobName,
  type MailJobData,
  type MentionMail,
  mentionMailJobId,
} from '@collab/contracts';
import type { Queue } from 'bullmq';
import type { Logger } from 'pino';

/** Attempts and first backoff delay (exponential) of every mail job. */
export interface MailJobPolicy {
  readonly attempts: number;
  readonly backoffMs: number;
  /**
   * How long an add may take before the request that caused it goes on
   * without it. BullMQ waits for its connection to be ready, without limit,
   * so with Redis away an add would otherwise hold the request forever.
   */
  readonly addTimeoutMs?: number;
}

const DEFAULT_ADD_TIMEOUT_MS = 2000;

/**
 * Queues mail jobs for the snapshot worker's mail processor, after the
 * change they announce has committed. Queueing never fails the request that
 * caused it: with Redis away the mention is still in the in-app inbox and the
 * invitation link still in the owner's share dialog; the miss is logged.
 */
export class MailQueue {
  constructor(
    private readonly queue: Queue<MailJobData>,
    private readonly policy: MailJobPolicy,
    private readonly log: Logger,
  ) {}

  /** One mail per mention notification: queueing it twice still sends one (the job id). */
  mention(mail: MentionMail): Promise<boolean> {
    return this.add(mail, mentionMailJobId(mail.notificationId));
  }

  invitation(mail: InvitationMail): Promise<boolean> {
    return this.add(mail, undefined);
  }

  /** Closes the queue's connection; bounded, so that a gateway stops even while Redis is away (then it is cut). */
  async close(timeoutMs = 2000): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    const closed = this.queue.close().then(
      () => 'closed' as const,
      (error: unknown) => {
        this.log.warn({ err: error }, 'mail queue not closed cleanly');
        return 'closed' as const;
      },
    );
    const gaveUp = new Promise<'timeout'>(
      (resolve) => (timer = setTimeout(() => resolve('timeout'), timeoutMs)),
    );
    const outcome = await Promise.race([closed, gaveUp]);
    clearTimeout(timer);
    if (outcome === 'timeout') await this.queue.disconnect().catch(() => undefined);
  }

  private async add(mail: MailJobData, jobId: string | undefined): Promise<boolean> {
    const added = this.queue.add(JobName.Mail, mail, {
      jobId,
      attempts: this.policy.attempts,
      backoff: { type: 'exponential', delay: this.policy.backoffMs },
      // A sent mail's job holds an address (and an invitation's link token): gone once sent.
      removeOnComplete: true,
    });
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<'timeout'>((resolve) => {
      timer = setTimeout(() => resolve('timeout'), this.policy.addTimeoutMs ?? DEFAULT_ADD_TIMEOUT_MS);
    });
    try {
      // An add that lands after the timeout still sends its mail (once: it is the same add).
      if ((await Promise.race([added, timedOut])) === 'timeout') {
        added.catch(() => undefined);
        throw new Error('queue not reachable in time');
      }
      return true;
    } catch (error) {
      this.log.warn({ err: error, mailKind: mail.kind, docId: mail.docId }, 'mail not queued');
      return false;
    } finally {
      clearTimeout(timer);
    }
  }
}
