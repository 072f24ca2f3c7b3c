/** Node's codes of a connection refused, lost or timed out, or a name that did not resolve. */
const NETWORK_CODES: ReadonlySet<string> = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
]);

/** PostgreSQL SQLSTATE classes and codes of a server going away or not ready yet. */
function isPostgresUnavailable(code: string): boolean {
  // 08: connection exception; 57P01-57P03: admin/crash shutdown, cannot connect now.
  return code.startsWith('08') || code === '57P01' || code === '57P02' || code === '57P03';
}

/**
 * Whether an unexpected error means a backing service (PostgreSQL, Redis) is
 * unreachable, restarting or too slow to connect to, rather than a bug. Such
 * a failure changed nothing and goes away by itself, so a client must be told
 * UNAVAILABLE (retryable: the SDK resends the same (clientId, seq) and the
 * owner's dedupe keeps it exactly once), never INTERNAL, after which the SDK
 * gives up on the edit. Found by the PostgreSQL-restart chaos test
 * (apps/gateway/test/chaos).
 */
export function isInfrastructureUnavailable(error: unknown, depth = 0): boolean {
  // Duck-typed, not `instanceof Error`: errors raised by Node's own modules come
  // from another realm under some runners (Jest's VM contexts).
  if (typeof error !== 'object' || error === null || depth > 3) return false;
  const { code, driverError, name, message, cause } = error as {
    code?: unknown;
    driverError?: unknown;
    name?: unknown;
    message?: unknown;
    cause?: unknown;
  };
  if (typeof code === 'string' && (NETWORK_CODES.has(code) || isPostgresUnavailable(code))) return true;
  // ioredis: commands failing while it reconnects.
  if (name === 'MaxRetriesPerRequestError') return true;
  if (
    typeof message === 'string' &&
    /^(Connection is closed|Connection terminated|Client has encountered a connection error|timeout exceeded when trying to connect)/.test(
      message,
    )
  ) {
    return true;
  }
  // TypeORM wraps the driver's error.
  return isInfrastructureUnavailable(driverError ?? cause, depth + 1);
}
