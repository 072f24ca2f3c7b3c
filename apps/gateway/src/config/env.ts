import path from 'node:path';
import { defaultInstanceId, loadEnv, ServiceEnv, SharedEnvFields } from '@collab/config';
import { z } from 'zod';

export { ConfigError } from '@collab/config';

/**
 * The gateway's configuration, read from the environment once at boot: the
 * shared service fields (`ServiceEnv`, libs/config) and its own. Every
 * problem is listed together and the process refuses to start. `process.env`
 * is read nowhere else.
 */
const EnvSchema = ServiceEnv.extend({
  /** Unique per running gateway (its reply channel); defaults to host, pid and a random suffix. */
  GATEWAY_ID: SharedEnvFields.instanceId,
  PORT: SharedEnvFields.port.default(3000),
  /** HS256 key of access tokens; shared with whoever issues them. */
  JWT_SECRET: z.string().min(32, 'at least 32 characters'),
  JWT_ISSUER: z.string().min(1).optional(),
  JWT_AUDIENCE: z.string().min(1).optional(),
  /** How long to wait for a doc-service reply before trying again. */
  ROUTE_TIMEOUT_MS: z.coerce.number().int().min(50).default(3000),
  /** Attempts per routed request (after NOT_OWNER, UNAVAILABLE, timeout or an empty ring). */
  ROUTE_ATTEMPTS: z.coerce.number().int().min(1).max(20).default(5),
  /**
   * How long a new owner link (a WebSocket to a doc-service) may take to
   * open; until it does, and after it fails, requests go through the
   * owner's Redis inbox.
   */
  OWNER_LINK_CONNECT_TIMEOUT_MS: z.coerce.number().int().min(50).max(60_000).default(2000),
  /** How often the membership ring is re-read (it is also refreshed on join/leave announcements). */
  MEMBERSHIP_POLL_MS: z.coerce.number().int().min(50).default(1000),
  /**
   * How often engine.io pings each socket (its heartbeat). With thousands of
   * idle editors the pings are nearly all of the gateway's idle work (a
   * frame written and a pong read per socket per interval; bench/idle), so
   * the default is 45 s rather than Socket.IO's 25 s. It must stay below the
   * idle timeout of every proxy in front (60 s for AWS ALB, nginx and
   * ingress-nginx by default) so that an idle connection is never cut. The
   * cost is detection: a peer that vanishes without a FIN or RST is noticed
   * after this plus SOCKET_PING_TIMEOUT_MS; a gateway that stops or crashes
   * closes its sockets, which clients see at once.
   */
  SOCKET_PING_INTERVAL_MS: z.coerce.number().int().min(1_000).max(300_000).default(45_000),
  /** How long engine.io waits for a pong before it closes the socket. */
  SOCKET_PING_TIMEOUT_MS: z.coerce.number().int().min(1_000).max(120_000).default(20_000),
  /** Most presence updates relayed per socket and second; the latest one wins. */
  PRESENCE_PER_SECOND: z.coerce.number().int().min(1).max(1000).default(20),
  /**
   * How long this gateway's run key (GatewayLiveness) outlives its last
   * refresh; it is refreshed every third of this, one Redis write per gateway
   * whatever its number of sockets. After a crash the gateway's carets are
   * dropped for joiners within this: it bounds how long ghosts are shown.
   * Shorter means faster cleanup but a Redis stall (or a blocked event loop)
   * longer than it lets other gateways take this one's carets for ghosts
   * (each comes back with its next move).
   */
  GATEWAY_LIVENESS_TTL_MS: z.coerce.number().int().min(1_000).max(600_000).default(30_000),
  /** A client whose unsent backlog passes this many bytes stopped reading: it is disconnected (SLOW_CONSUMER). */
  MAX_SOCKET_BACKLOG_BYTES: z.coerce
    .number()
    .int()
    .min(65_536)
    .max(1_073_741_824)
    .default(8 * 1024 * 1024),
  /** How often the backlogs are measured. */
  SLOW_CONSUMER_CHECK_MS: z.coerce.number().int().min(50).max(60_000).default(1000),
  /** Lifetime of an access token (JWT); clients refresh before it runs out. */
  ACCESS_TOKEN_TTL_SECONDS: z.coerce.number().int().min(30).max(86_400).default(900),
  /** Lifetime of a refresh token; each refresh rotates it and starts a new lifetime. */
  REFRESH_TOKEN_TTL_SECONDS: z.coerce
    .number()
    .int()
    .min(60)
    .max(365 * 86_400)
    .default(30 * 86_400),
  /** Lifetime of an invitation link. */
  INVITATION_TTL_SECONDS: z.coerce
    .number()
    .int()
    .min(60)
    .max(90 * 86_400)
    .default(7 * 86_400),
  /** Wrong passwords for one email from one address before each further one makes that pair wait (2 s, doubling; see SignInLimiter). */
  SIGN_IN_FAILURES_PER_EMAIL: z.coerce.number().int().min(1).max(1_000).default(5),
  /** Sign-in attempts allowed per client IP within SIGN_IN_WINDOW_SECONDS. */
  SIGN_IN_ATTEMPTS_PER_IP: z.coerce.number().int().min(1).max(100_000).default(100),
  /** The window of SIGN_IN_ATTEMPTS_PER_IP, and the longest wait one email at one address is given. */
  SIGN_IN_WINDOW_SECONDS: z.coerce.number().int().min(1).max(86_400).default(900),
  /**
   * The backstop for a lost access notice (Redis pub/sub is at most once): an
   * operation re-reads its user's role from PostgreSQL when this gateway last
   * read it this long ago or longer, so a lost notice reaches a typing user
   * within this bound. Idle sockets are never re-read on a timer (a notice
   * subscriber that reconnects re-reads them all). 60 s: a light typist
   * (an operation every tens of seconds) costs at most one read a minute
   * instead of one per keystroke, and the bound stays the order of the
   * previous periodic re-read's (15 s) while notices normally arrive in ms.
   */
  ACCESS_RECHECK_SECONDS: z.coerce.number().int().min(1).max(3_600).default(60),
  /** How long the document list of a user stays cached (invalidated on every write that changes it). */
  DOCUMENT_LIST_CACHE_SECONDS: z.coerce.number().int().min(1).max(3_600).default(60),
  /** How long a document's metadata stays cached (invalidated on every write that changes it). */
  DOCUMENT_CACHE_SECONDS: z.coerce.number().int().min(1).max(3_600).default(300),
  /**
   * Browser origins allowed to open a socket, comma-separated
   * (`https://app.example.com,http://localhost:5173`). A handshake carrying
   * any other Origin is refused; one without an Origin (not a browser) still
   * needs a valid token.
   */
  ALLOWED_ORIGINS: z
    .string()
    .default('http://localhost:5173,http://127.0.0.1:5173')
    .transform((value) =>
      value
        .split(',')
        .map((origin) => origin.trim())
        .filter((origin) => origin.length > 0),
    )
    .pipe(z.array(z.url({ protocol: /^https?$/ }))),
  /** Most open sockets per user, across every gateway. */
  MAX_SOCKETS_PER_USER: z.coerce.number().int().min(1).max(1_000).default(20),
  /** Operations per second one socket may submit (sustained). */
  OPS_PER_SECOND_PER_SOCKET: z.coerce.number().int().min(1).max(10_000).default(30),
  /** Operations of one socket processed at once; more are refused (a client needs one). */
  OPS_IN_FLIGHT_PER_SOCKET: z.coerce.number().int().min(1).max(1_000).default(4),
  /** Operations per second one user may submit over all their sockets. */
  OPS_PER_SECOND_PER_USER: z.coerce.number().int().min(1).max(10_000).default(60),
  /** Socket events of any kind per socket and second (joins, catch-ups, carets, operations). */
  EVENTS_PER_SECOND_PER_SOCKET: z.coerce.number().int().min(1).max(100_000).default(100),
  /** Refusals (rate limited, unknown events) a socket may collect within ABUSE_WINDOW_SECONDS before it is cut off. */
  ABUSE_STRIKES: z.coerce.number().int().min(1).max(10_000).default(50),
  ABUSE_WINDOW_SECONDS: z.coerce.number().int().min(1).max(3_600).default(10),
  /** After a socket is cut off for abuse, its user's handshakes are refused this long (every gateway). */
  ABUSE_COOLDOWN_SECONDS: z.coerce.number().int().min(1).max(86_400).default(30),
  /** Attempts of each mail job (mentions, invitations) before the worker gives it up as a dead letter. */
  MAIL_JOB_ATTEMPTS: z.coerce.number().int().min(1).max(100).default(8),
  /** First retry delay of a mail job; it doubles each attempt (8 attempts from 5 s: about 10 minutes in all). */
  MAIL_JOB_BACKOFF_MS: z.coerce.number().int().min(0).max(3_600_000).default(5000),
  /** Proxy hops in front of the gateway whose X-Forwarded-For is trusted for the client IP (0: none). */
  TRUST_PROXY: z.coerce.number().int().min(0).max(10).default(0),
  DB_POOL_SIZE: SharedEnvFields.DB_POOL_SIZE.default(10),
  /** The built web app the gateway serves (apps/web/dist beside this app in the repository and the image). */
  WEB_DIST_DIR: z.string().min(1).default(path.resolve(__dirname, '../../../web/dist')),
});

export type GatewayConfig = Omit<z.infer<typeof EnvSchema>, 'GATEWAY_ID'> & { GATEWAY_ID: string };

/** Validates an environment (process.env at boot; a literal in tests). Throws a ConfigError listing every problem. */
export function loadConfig(env: Record<string, string | undefined>): GatewayConfig {
  const config = loadEnv('gateway', EnvSchema, env);
  return { ...config, GATEWAY_ID: config.GATEWAY_ID ?? defaultInstanceId('gw') };
}
