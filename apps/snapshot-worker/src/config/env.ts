import { loadEnv, ServiceEnv, SharedEnvFields } from '@collab/config';
import { z } from 'zod';

export { ConfigError } from '@collab/config';

/**
 * The snapshot worker's configuration, read from the environment once at
 * boot: the shared service fields (`ServiceEnv`, libs/config; REDIS_PREFIX the
 * same value as the doc-services') and its own. Every problem is reported
 * together and the process refuses to start. `process.env` is read nowhere else.
 */
const EnvSchema = ServiceEnv.extend({
  /** Snapshot jobs processed at once by this process. */
  WORKER_CONCURRENCY: z.coerce.number().int().min(1).max(64).default(2),
  /**
   * How long a worker's lock on a job lasts; a live worker renews it at half
   * that. A worker that dies mid-job (SIGKILL, OOM, a lost node) stops
   * renewing, and once the lock has lapsed the stalled-job check of any other
   * worker puts the job back in the queue (BullMQ's stalled-job recovery).
   */
  JOB_LOCK_MS: z.coerce.number().int().min(100).default(30_000),
  /** How often this worker looks for stalled jobs (locks that lapsed). */
  STALLED_CHECK_MS: z.coerce.number().int().min(100).default(30_000),
  /** Operations read per query while folding a snapshot. */
  OPS_PAGE_SIZE: z.coerce.number().int().min(1).max(100_000).default(1000),
  /** Finished jobs are kept this long (seconds) and at most this many, for inspection. */
  KEEP_COMPLETED_SECONDS: z.coerce.number().int().min(0).default(3600),
  KEEP_COMPLETED_COUNT: z.coerce.number().int().min(0).default(1000),
  KEEP_FAILED_SECONDS: z.coerce
    .number()
    .int()
    .min(0)
    .default(7 * 24 * 3600),
  KEEP_FAILED_COUNT: z.coerce.number().int().min(0).default(5000),
  /** How often the sweeper looks for documents whose snapshots lag; 0 turns it off. */
  SWEEP_INTERVAL_MS: z.coerce.number().int().min(0).default(60_000),
  /** A document is swept when its head is more than this many versions past its newest snapshot. */
  SWEEP_LAG_VERSIONS: z.coerce.number().int().min(1).default(50),
  /**
   * Documents queued per sweep at most, for lagging snapshots and for the
   * attribution backfill each; the backfill also holds off while this many jobs wait.
   */
  SWEEP_BATCH: z.coerce.number().int().min(1).max(10_000).default(500),
  /** Snapshots are taken at multiples of this (the doc-services' SNAPSHOT_EVERY, the same field). */
  SNAPSHOT_EVERY: SharedEnvFields.SNAPSHOT_EVERY,
  /** Attempts and first backoff delay of the jobs the sweeper queues. */
  SWEEP_JOB_ATTEMPTS: z.coerce.number().int().min(1).max(100).default(5),
  SWEEP_JOB_BACKOFF_MS: z.coerce.number().int().min(0).default(2000),
  DB_POOL_SIZE: SharedEnvFields.DB_POOL_SIZE.default(5),
  /**
   * Where mail goes: `smtp://user:pass@host:587` (STARTTLS when offered) or
   * `smtps://...:465`. Unset or empty: each mail is written to this worker's
   * log as one JSON line instead (local use), and the in-app inbox has it.
   * Secret (it may carry a password).
   */
  SMTP_URL: z.preprocess(
    (value) => (value === '' ? undefined : value),
    z.url({ protocol: /^smtps?$/ }).optional(),
  ),
  /** The From of every mail. */
  MAIL_FROM: z.string().min(3).max(254).default('Collab <no-reply@localhost>'),
  /**
   * The web app's public address (the Ingress host), the base of the links in
   * mails: `https://collab.example.com`. An origin with at most a path, no
   * query or fragment: a link built from a wrong base sends every reader astray.
   */
  PUBLIC_APP_URL: z
    .url({ protocol: /^https?$/ })
    .default('http://localhost:3000')
    .refine((value) => {
      // Refinements run after a failed check too: an unparseable value is reported there already.
      if (!URL.canParse(value)) return true;
      const url = new URL(value);
      return url.search === '' && url.hash === '' && url.username === '' && url.password === '';
    }, 'an http(s) address without credentials, query or fragment')
    .transform((value) => value.replace(/\/+$/, '')),
  /** Mail jobs sent at once by this process. */
  MAIL_CONCURRENCY: z.coerce.number().int().min(1).max(64).default(4),
  /** Health endpoints (liveness/readiness) and /metrics; 0 picks a free port. */
  HTTP_PORT: SharedEnvFields.port.default(3200),
});

export type SnapshotWorkerConfig = z.infer<typeof EnvSchema>;

/** Validates an environment (process.env at boot; a literal in tests). Throws a ConfigError listing every problem. */
export function loadConfig(env: Record<string, string | undefined>): SnapshotWorkerConfig {
  return loadEnv('snapshot-worker', EnvSchema, env, (c) => [
    c.SWEEP_LAG_VERSIONS < c.SNAPSHOT_EVERY &&
      'SWEEP_LAG_VERSIONS must be at least SNAPSHOT_EVERY, or the sweeper races the doc-services for every fresh multiple',
  ]);
}
