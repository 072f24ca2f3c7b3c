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
}

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

  /** Closes the queue's connection; bounded, so that a gateway stops even while Redis is away. */
  async close(timeoutMs = 2000): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    const closed = this.queue.close().catch((error: unknown) => {
      this.log.warn({ err: error }, 'mail queue not closed cleanly');
    });
    const gaveUp = new Promise<void>((resolve) => (timer = setTimeout(resolve, timeoutMs)));
    await Promise.race([closed, gaveUp]);
    clearTimeout(timer);
  }

  private async add(mail: MailJobData, jobId: string | undefined): Promise<boolean> {
    try {
      await this.queue.add(JobName.Mail, mail, {
        jobId,
        attempts: this.policy.attempts,
        backoff: { type: 'exponential', delay: this.policy.backoffMs },
        // A sent mail's job holds an address (and an invitation's link token): gone once sent.
        removeOnComplete: true,
      });
      return true;
    } catch (error) {
      this.log.warn({ err: error, mailKind: mail.kind, docId: mail.docId }, 'mail not queued');
      return false;
    }
  }
}
