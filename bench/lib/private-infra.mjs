// The private database and Redis key prefix a benchmark runs against, dropped
// at its end (the machine's PostgreSQL and Redis are shared with other work).
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const pg = require('pg');
const { Redis } = require('ioredis');

/** `url` (a PostgreSQL URL) naming database `name` instead of its own. */
export function withDatabase(url, name) {
  const renamed = new URL(url);
  renamed.pathname = `/${name}`;
  return renamed.toString();
}

/** Drops the database named in `env.DATABASE_URL` and every key under `env.REDIS_PREFIX`. */
export async function dropPrivateInfra(env) {
  const database = new URL(env.DATABASE_URL);
  const admin = new URL(env.DATABASE_URL);
  admin.pathname = '/postgres';
  const client = new pg.Client({ connectionString: admin.toString() });
  await client.connect();
  await client.query(`DROP DATABASE IF EXISTS "${database.pathname.slice(1)}" WITH (FORCE)`);
  await client.end();
  const redis = new Redis(env.REDIS_URL);
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${env.REDIS_PREFIX}*`, 'COUNT', 1000);
    cursor = next;
    if (keys.length > 0) await redis.del(...keys);
  } while (cursor !== '0');
  redis.disconnect();
}
