import { networkInterfaces } from 'node:os';
import { defaultInstanceId, loadEnv, ServiceEnv, SharedEnvFields } from '@collab/config';
import { z } from 'zod';

export { ConfigError } from '@collab/config';

/**
 * The doc-service's configuration, read from the environment once at boot:
 * the shared service fields (`ServiceEnv`, libs/config) and its own. Every
 * problem is reported together, and the process refuses to start.
 * `process.env` is read nowhere else.
 */
const EnvSchema = ServiceEnv.extend({
  /** Unique per running instance; defaults to host, pid and a random suffix. */
  INSTANCE_ID: SharedEnvFields.instanceId,
  /** Health endpoints (liveness/readiness); 0 picks a free port. */
  HTTP_PORT: SharedEnvFields.port.default(3100),
  MEMBERSHIP_TTL_MS: SharedEnvFields.MEMBERSHIP_TTL_MS,
  HEARTBEAT_INTERVAL_MS: SharedEnvFields.HEARTBEAT_INTERVAL_MS,
  /** An actor with no operation or load for this long is evicted. */
  ACTOR_IDLE_MS: z.coerce
    .number()
    .int()
    .min(1000)
    .default(5 * 60_000),
  /** Committed operations each actor keeps in memory for transforms (older ones come from PostgreSQL). */
  HISTORY_WINDOW: z.coerce.number().int().min(16).max(1_000_000).default(1000),
  SNAPSHOT_EVERY: SharedEnvFields.SNAPSHOT_EVERY,
  DB_POOL_SIZE: SharedEnvFields.DB_POOL_SIZE.default(10),
  /** Where gateways connect for the owner link (inbox/owner-link.server.ts); 0 picks a free port. */
  OWNER_LINK_PORT: SharedEnvFields.port.default(0),
  /**
   * The host gateways reach this instance at (a pod's IP in Kubernetes);
   * defaults to this machine's first external IPv4 address, else 127.0.0.1.
   */
  OWNER_LINK_HOST: z
    .string()
    .regex(/^[A-Za-z0-9.:-]{1,253}$/, 'a host name or an IP address')
    .optional(),
});

export type DocServiceConfig = Omit<z.infer<typeof EnvSchema>, 'INSTANCE_ID' | 'OWNER_LINK_HOST'> & {
  INSTANCE_ID: string;
  OWNER_LINK_HOST: string;
};

/** Validates an environment (process.env at boot; a literal in tests). Throws a ConfigError listing every problem. */
export function loadConfig(env: Record<string, string | undefined>): DocServiceConfig {
  const config = loadEnv('doc-service', EnvSchema, env, (c) => [
    c.HEARTBEAT_INTERVAL_MS * 2 > c.MEMBERSHIP_TTL_MS &&
      'HEARTBEAT_INTERVAL_MS must be at most half of MEMBERSHIP_TTL_MS, or one late beat expires a live member',
  ]);
  return {
    ...config,
    INSTANCE_ID: config.INSTANCE_ID ?? defaultInstanceId('ds'),
    OWNER_LINK_HOST: config.OWNER_LINK_HOST ?? externalIPv4(),
  };
}

/** This machine's first non-internal IPv4 address (a container's or a pod's own), else loopback. */
function externalIPv4(): string {
  for (const addresses of Object.values(networkInterfaces())) {
    const found = addresses?.find((a) => a.family === 'IPv4' && !a.internal);
    if (found) return found.address;
  }
  return '127.0.0.1';
}
