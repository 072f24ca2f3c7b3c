import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import {
  DEFAULT_HEARTBEAT_INTERVAL_MS,
  DEFAULT_KEY_PREFIX,
  DEFAULT_MEMBERSHIP_TTL_MS,
  InstanceId,
  MAX_INSTANCE_ID_LENGTH,
  SNAPSHOT_EVERY_VERSIONS,
} from '@collab/contracts';
import { z } from 'zod';

/** PostgreSQL of a local development machine (compose, `npm start`). */
export const DEFAULT_DATABASE_URL = 'postgres://postgres@127.0.0.1:5432/collab';
/** Redis of a local development machine. */
export const DEFAULT_REDIS_URL = 'redis://127.0.0.1:6379';

/** pino's levels, and `silent`. */
export const LogLevel = z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']);
/** See {@link LogLevel}. */
export type LogLevel = z.infer<typeof LogLevel>;

/**
 * What every service reads: where PostgreSQL and Redis are, the prefix of
 * every Redis key, channel and queue of the deployment (the same value in
 * every service, or they do not see each other), the log level, and the
 * token that guards /metrics. Each service's env.ts extends it.
 */
export const ServiceEnv = z.object({
  DATABASE_URL: z.url({ protocol: /^postgres(ql)?$/ }).default(DEFAULT_DATABASE_URL),
  REDIS_URL: z.url({ protocol: /^rediss?$/ }).default(DEFAULT_REDIS_URL),
  REDIS_PREFIX: z
    .string()
    .regex(/^([A-Za-z0-9_.{}-]+:)?$/, 'letters, digits and _.{}- ending with ":"')
    .default(DEFAULT_KEY_PREFIX),
  LOG_LEVEL: LogLevel.default('info'),
  /** When set, /metrics needs `Authorization: Bearer <METRICS_TOKEN>`; empty or unset leaves it open. */
  METRICS_TOKEN: z.preprocess(
    (value) => (value === '' ? undefined : value),
    z.string().min(16, 'at least 16 characters').optional(),
  ),
});
/** See {@link ServiceEnv}. */
export type ServiceEnv = z.infer<typeof ServiceEnv>;

/**
 * Fields more than one service reads, each defined once so the services
 * cannot disagree on its name, bounds or default.
 */
export const SharedEnvFields = {
  /** Unique per running instance; the service generates one when unset ({@link defaultInstanceId}). */
  instanceId: InstanceId.optional(),
  /** Snapshots are taken at multiples of this: the doc-services queue them, the worker's sweeper expects them. */
  SNAPSHOT_EVERY: z.coerce.number().int().min(1).default(SNAPSHOT_EVERY_VERSIONS),
  /** After this long without a heartbeat, a doc-service counts as gone. */
  MEMBERSHIP_TTL_MS: z.coerce.number().int().min(500).default(DEFAULT_MEMBERSHIP_TTL_MS),
  HEARTBEAT_INTERVAL_MS: z.coerce.number().int().min(50).default(DEFAULT_HEARTBEAT_INTERVAL_MS),
  DB_POOL_SIZE: z.coerce.number().int().min(1).max(200),
  /** 0 picks a free port. */
  port: z.coerce.number().int().min(0).max(65535),
} as const;

/**
 * An instance id for a service that was given none: `<kind>-<host>-<pid>-<random>`,
 * the host name shortened so the whole stays a valid {@link InstanceId}.
 */
export function defaultInstanceId(kind: string): string {
  const suffix = `-${process.pid}-${randomBytes(3).toString('hex')}`;
  const host = hostname()
    .replace(/[^A-Za-z0-9_.-]/g, '')
    .slice(0, Math.max(0, MAX_INSTANCE_ID_LENGTH - kind.length - 1 - suffix.length));
  return `${kind}-${host}${suffix}`;
}

/** A service's configuration is invalid: every problem, one line each. */
export class ConfigError extends Error {
  constructor(
    readonly service: string,
    readonly problems: string[],
  ) {
    super(`Invalid ${service} configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/**
 * Validates an environment against a service's schema (process.env at boot;
 * a literal in tests), then the rules that relate its values (`checks`,
 * which return a problem each). Throws a ConfigError listing every problem:
 * a service that guesses its configuration serves the wrong documents.
 */
export function loadEnv<S extends z.ZodType>(
  service: string,
  schema: S,
  env: Record<string, string | undefined>,
  checks: (config: z.infer<S>) => (string | false)[] = () => [],
): z.infer<S> {
  const parsed = schema.safeParse(env);
  if (!parsed.success) {
    throw new ConfigError(
      service,
      parsed.error.issues.map((issue) => `${issue.path.join('.') || '(env)'}: ${issue.message}`),
    );
  }
  const problems = checks(parsed.data).filter((problem): problem is string => problem !== false);
  if (problems.length > 0) throw new ConfigError(service, problems);
  return parsed.data;
}
