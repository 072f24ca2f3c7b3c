// Checks that PostgreSQL and Redis answer before anything starts, and says
// which one is missing and how to get it, instead of a stack trace from
// whichever service happened to connect first.
import pg from 'pg';
import { Redis } from 'ioredis';

const CONNECT_TIMEOUT_MS = 3000;

function where(url) {
  const u = new URL(url);
  return `${u.hostname}:${u.port || (u.protocol.startsWith('postgres') ? 5432 : 6379)}`;
}

/** Resolves to null when PostgreSQL answers on the server's maintenance database, else to a message. */
export async function checkPostgres(databaseUrl) {
  const url = new URL(databaseUrl);
  url.pathname = '/postgres'; // the application database may not exist yet: migrate creates it
  const client = new pg.Client({
    connectionString: url.toString(),
    connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
  });
  try {
    await client.connect();
    await client.query('SELECT 1');
    return null;
  } catch (error) {
    return (
      `PostgreSQL is not reachable at ${where(databaseUrl)} (${error.code ?? error.message}).\n` +
      '  Start it with `docker compose up -d postgres` (or your system service, e.g. `sudo service postgresql start`),\n' +
      '  or point DATABASE_URL at a running server.'
    );
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** Resolves to null when Redis answers PING, else to a message. */
export async function checkRedis(redisUrl) {
  const redis = new Redis(redisUrl, {
    connectTimeout: CONNECT_TIMEOUT_MS,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
    lazyConnect: true,
  });
  let cause;
  redis.on('error', (error) => (cause ??= error));
  try {
    await redis.connect();
    await redis.ping();
    return null;
  } catch (error) {
    return (
      `Redis is not reachable at ${where(redisUrl)} (${(cause ?? error).code ?? error.message}).\n` +
      '  Start it with `docker compose up -d redis` (or your system service, e.g. `sudo service redis-server start`),\n' +
      '  or point REDIS_URL at a running server.'
    );
  } finally {
    redis.disconnect();
  }
}
