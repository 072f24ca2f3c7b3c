import { z } from 'zod';
import { CommittedVersion, CorrelationId, DocId } from '../common/ids';

/** BullMQ queue names (without the per-test suffix; see {@link queueName}). */
export const QueueName = {
  /** Snapshot jobs, produced by doc-services (and the sweeper), consumed by the snapshot worker. */
  Snapshots: 'snapshots',
  /** Mail jobs (mentions, invitations), produced by gateways, consumed by the snapshot worker's mail processor. */
  Mail: 'mail',
} as const;

/** One of the values of {@link QueueName}. */
export type QueueName = (typeof QueueName)[keyof typeof QueueName];

/** BullMQ job names. */
export const JobName = {
  /** Fold the latest snapshot and the operations after it into a snapshot at a version. */
  Snapshot: 'snapshot',
  /** Send one email (see MailJobData). */
  Mail: 'mail',
} as const;

/** One of the values of {@link JobName}. */
export type JobName = (typeof JobName)[keyof typeof JobName];

/** A doc-service queues a snapshot job every this many versions. */
export const SNAPSHOT_EVERY_VERSIONS = 50;

const SUFFIX = /^[A-Za-z0-9_-]{1,64}$/;

/**
 * The name of queue `base`, with an optional `suffix` so that each test
 * gets its own queue: `queueName('snapshots', 't42')` is `snapshots-t42`.
 * BullMQ refuses `:` in queue names (it separates Redis key parts), so the
 * suffix is limited to `[A-Za-z0-9_-]`; anything else throws (configuration
 * error). Keys are isolated further by BullMQ's `prefix` (`redisKeys(p).bullmq`).
 */
export function queueName(base: QueueName, suffix?: string): string {
  if (suffix === undefined || suffix === '') return base;
  if (!SUFFIX.test(suffix)) {
    throw new Error(`Invalid queue name suffix ${JSON.stringify(suffix)}: use 1 to 64 of [A-Za-z0-9_-]`);
  }
  return `${base}-${suffix}`;
}

/**
 * Payload of a `snapshot` job: make the snapshot of `docId` at `version`.
 * A poison payload (one this schema refuses) fails at once, without retries.
 */
export const SnapshotJobData = z.object({
  docId: DocId,
  version: CommittedVersion,
  correlationId: CorrelationId.optional(),
});
/** See {@link SnapshotJobData}. */
export type SnapshotJobData = z.infer<typeof SnapshotJobData>;

/**
 * The BullMQ job id of the snapshot of `docId` at `version`, so that a job
 * queued twice (a retried commit, a doc-service and the sweeper) collapses
 * into one: `snapshot-<docId in lower case>-<version>`.
 *
 * BullMQ refuses custom ids containing `:` (Redis key separator; an error
 * since 5.58.7, except the legacy 3-part form) and ids that are integers
 * (they could collide with its generated ids), so this uses `-` and a
 * non-numeric prefix. The UUID has a fixed length, so the version after
 * it is never ambiguous: different (docId, version) pairs give different ids.
 */
export function snapshotJobId(docId: DocId, version: number): string {
  if (!DocId.safeParse(docId).success) throw new RangeError(`Invalid document id ${JSON.stringify(docId)}`);
  if (!Number.isSafeInteger(version) || version < 1)
    throw new RangeError(`Invalid snapshot version ${version}`);
  return `snapshot-${docId.toLowerCase()}-${version}`;
}
