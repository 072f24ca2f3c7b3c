import { z } from 'zod';

/**
 * The snapshot worker's configuration, read from the environment once at boot.
 * Every problem is reported together and the process refuses to start.
 * `process.env` is read nowhere else.
 */
const EnvSchema = z.object({
  DATABASE_URL: z.url({ protocol: /^postgres(ql)?$/ }).default('postgres://postgres@127.0.0.1:5432/collab'),
  REDIS_URL: z.url({ protocol: /^rediss?$/ }).default('redis://127.0.0.1:6379'),
  /** Every Redis key and queue of this deployment starts with it (same value as the doc-services). */
  REDIS_PREFIX: z
    .string()
    .regex(/^([A-Za-z0-9_.{}-]+:)?$/, 'letters, digits and _.{}- ending with ":"')
    .default('collab:'),
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
  /** Documents queued per sweep at most. */
  SWEEP_BATCH: z.coerce.number().int().min(1).max(10_000).default(500),
  /** Snapshots are taken at multiples of this (the doc-services' SNAPSHOT_EVERY). */
  SNAPSHOT_EVERY: z.coerce.number().int().min(1).default(50),
  /** Attempts and first backoff delay of the jobs the sweeper queues. */
  SWEEP_JOB_ATTEMPTS: z.coerce.number().int().min(1).max(100).default(5),
  SWEEP_JOB_BACKOFF_MS: z.coerce.number().int().min(0).default(2000),
  DB_POOL_SIZE: z.coerce.number().int().min(1).max(200).default(5),
  /** Health endpoints (liveness/readiness) and /metrics; 0 picks a free port. */
  HTTP_PORT: z.coerce.number().int().min(0).max(65535).default(3200),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** When set, /metrics needs `Authorization: Bearer <METRICS_TOKEN>`; empty or unset leaves it open. */
  METRICS_TOKEN: z.preprocess(
    (value) => (value === '' ? undefined : value),
    z.string().min(16, 'at least 16 characters').optional(),
  ),
});

export type SnapshotWorkerConfig = z.infer<typeof EnvSchema>;

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid snapshot-worker configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/** Validates an environment (process.env at boot; a literal in tests). */
export function loadConfig(env: Record<string, string | undefined>): SnapshotWorkerConfig {
  const parsed = EnvSchema.safeParse(env);
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`));
  }
  const config = parsed.data;
  const problems: string[] = [];
  if (config.SWEEP_LAG_VERSIONS < config.SNAPSHOT_EVERY) {
    problems.push(
      'SWEEP_LAG_VERSIONS must be at least SNAPSHOT_EVERY, or the sweeper races the doc-services for every fresh multiple',
    );
  }
  if (problems.length > 0) throw new ConfigError(problems);
  return config;
}
