import { hostname } from 'node:os';
import { randomBytes } from 'node:crypto';
import { z } from 'zod';

/**
 * The doc-service's configuration, read from the environment once at boot.
 * Every problem is reported together, and the process refuses to start: a
 * service that guesses its configuration serves the wrong documents.
 * `process.env` is read nowhere else.
 */
const EnvSchema = z.object({
  DATABASE_URL: z.url({ protocol: /^postgres(ql)?$/ }).default('postgres://postgres@127.0.0.1:5432/collab'),
  REDIS_URL: z.url({ protocol: /^rediss?$/ }).default('redis://127.0.0.1:6379'),
  /** Every Redis key, channel and queue of this deployment starts with it. */
  REDIS_PREFIX: z
    .string()
    .regex(/^([A-Za-z0-9_.{}-]+:)?$/, 'letters, digits and _.{}- ending with ":"')
    .default('collab:'),
  /** Unique per running instance; defaults to host, pid and a random suffix. */
  INSTANCE_ID: z
    .string()
    .regex(/^[A-Za-z0-9_.-]{1,100}$/, 'letters, digits and _.- (no ":")')
    .optional(),
  /** Health endpoints (liveness/readiness); 0 picks a free port. */
  HTTP_PORT: z.coerce.number().int().min(0).max(65535).default(3100),
  MEMBERSHIP_TTL_MS: z.coerce.number().int().min(500).default(5000),
  HEARTBEAT_INTERVAL_MS: z.coerce.number().int().min(50).default(1000),
  /** An actor with no operation or load for this long is evicted. */
  ACTOR_IDLE_MS: z.coerce
    .number()
    .int()
    .min(1000)
    .default(5 * 60_000),
  /** Committed operations each actor keeps in memory for transforms (older ones come from PostgreSQL). */
  HISTORY_WINDOW: z.coerce.number().int().min(16).max(1_000_000).default(1000),
  SNAPSHOT_EVERY: z.coerce.number().int().min(1).default(50),
  DB_POOL_SIZE: z.coerce.number().int().min(1).max(200).default(10),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** When set, /metrics needs `Authorization: Bearer <METRICS_TOKEN>`; empty or unset leaves it open. */
  METRICS_TOKEN: z.preprocess(
    (value) => (value === '' ? undefined : value),
    z.string().min(16, 'at least 16 characters').optional(),
  ),
});

export type DocServiceConfig = Omit<z.infer<typeof EnvSchema>, 'INSTANCE_ID'> & { INSTANCE_ID: string };

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid doc-service configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/** Validates an environment (process.env at boot; a literal in tests). */
export function loadConfig(env: Record<string, string | undefined>): DocServiceConfig {
  const parsed = EnvSchema.safeParse(env);
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`));
  }
  const config = parsed.data;
  const problems: string[] = [];
  if (config.HEARTBEAT_INTERVAL_MS * 2 > config.MEMBERSHIP_TTL_MS) {
    problems.push(
      'HEARTBEAT_INTERVAL_MS must be at most half of MEMBERSHIP_TTL_MS, or one late beat expires a live member',
    );
  }
  if (problems.length > 0) throw new ConfigError(problems);
  return {
    ...config,
    INSTANCE_ID:
      config.INSTANCE_ID ??
      `ds-${hostname().replace(/[^A-Za-z0-9_.-]/g, '')}-${process.pid}-${randomBytes(3).toString('hex')}`,
  };
}
