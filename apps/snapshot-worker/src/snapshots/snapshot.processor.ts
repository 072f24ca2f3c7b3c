import { ErrorCode, JobName, parse, SnapshotJobData } from '@collab/contracts';
import { WorkerHost } from '@nestjs/bullmq';
import { type Job, UnrecoverableError } from 'bullmq';
import type { Logger } from 'pino';
import type { JobOutcome } from '../metrics/worker-metrics';
import { type SnapshotBuilder, type SnapshotOutcome } from './snapshot-builder';

/**
 * Consumes snapshot jobs. Delivery is at least once (a stalled job whose
 * lock expired is run again by BullMQ, a crash mid-job too), which is safe
 * because the builder is idempotent. Three kinds of failure:
 *  - a payload that fails the contract schema can never succeed: it becomes
 *    BullMQ's UnrecoverableError and fails at once, whatever attempts the
 *    producer set;
 *  - the document behind the job's version, or a database error: thrown as
 *    is, so the producer's attempts and backoff apply;
 *  - a deleted document: completes without a snapshot.
 * Worker options (queue, concurrency, job pruning) are set by the module.
 */
export class SnapshotProcessor extends WorkerHost {
  constructor(
    private readonly builder: SnapshotBuilder,
    private readonly log: Logger,
    /** Told how long each snapshot job took and how it ended. */
    private readonly timed: (seconds: number, outcome: JobOutcome) => void = () => undefined,
  ) {
    super();
  }

  async process(job: Job<unknown, SnapshotOutcome>): Promise<SnapshotOutcome> {
    if (job.name !== JobName.Snapshot) {
      this.log.error({ jobId: job.id, jobName: job.name }, 'unknown job name: failing without retry');
      throw new UnrecoverableError(`${ErrorCode.BAD_REQUEST}: unknown job name ${JSON.stringify(job.name)}`);
    }
    const parsed = parse(SnapshotJobData, job.data);
    if (!parsed.ok) {
      this.log.error({ jobId: job.id, error: parsed.error }, 'poison snapshot job: failing without retry');
      throw new UnrecoverableError(`${parsed.error.code}: ${parsed.error.message}`);
    }
    const { docId, version, correlationId } = parsed.value;
    const log = this.log.child({
      jobId: job.id,
      docId,
      version,
      correlationId,
      attempt: job.attemptsMade + 1,
    });
    const started = performance.now();
    let outcome: SnapshotOutcome;
    try {
      outcome = await this.builder.build(docId, version);
    } catch (error) {
      this.timed((performance.now() - started) / 1000, 'failed');
      log.warn({ err: error }, 'snapshot job failed');
      throw error;
    }
    const ms = performance.now() - started;
    this.timed(ms / 1000, outcome === 'document-gone' ? 'document-gone' : 'snapshot');
    if (outcome === 'document-gone') log.info('document missing or deleted: no snapshot');
    else log.debug({ outcome, ms }, 'snapshot job done');
    return outcome;
  }
}
