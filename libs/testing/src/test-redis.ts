import { RedisContainer, type StartedRedisContainer } from '@testcontainers/redis';
import { Redis } from 'ioredis';
import { describeError, LOCAL_REDIS_URL, TestInfraUnavailableError } from './infra-source';
import { uniqueTestName } from './unique-name';

export interface TestRedis {
  /** Connection URL of the Redis server. */
  readonly url: string;
  /** A key prefix private to this test file, ending in ':'. Every key and channel a test makes starts with it. */
  readonly prefix: string;
  /** Deletes every key under the prefix and stops any container. */
  cleanup(): Promise<void>;
}

async function answers(url: string): Promise<void> {
  const client = new Redis(url, { lazyConnect: true, connectTimeout: 2000, maxRetriesPerRequest: 0 });
  client.on('error', () => undefined);
  try {
    await client.connect();
    await client.ping();
  } finally {
    client.disconnect();
  }
}

async function server(): Promise<{ url: string; container?: StartedRedisContainer }> {
  const tried: string[] = [];
  const fromEnv = process.env['TEST_REDIS_URL'];
  if (fromEnv) {
    await answers(fromEnv);
    return { url: fromEnv };
  }
  tried.push('TEST_REDIS_URL is not set');
  try {
    await answers(LOCAL_REDIS_URL);
    return { url: LOCAL_REDIS_URL };
  } catch (error) {
    tried.push(`${LOCAL_REDIS_URL}: ${describeError(error)}`);
  }
  try {
    const container = await new RedisContainer('redis:7-alpine').start();
    return { url: container.getConnectionUrl(), container };
  } catch (error) {
    tried.push(`testcontainers: ${describeError(error)}`);
  }
  throw new TestInfraUnavailableError('redis', tried);
}

/** Deletes every key that starts with `prefix`, in batches (SCAN, never KEYS on a shared server). */
export async function deleteKeysWithPrefix(url: string, prefix: string): Promise<number> {
  const client = new Redis(url, { maxRetriesPerRequest: 1 });
  let deleted = 0;
  try {
    let cursor = '0';
    do {
      const [next, keys] = await client.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 500);
      cursor = next;
      if (keys.length > 0) deleted += await client.unlink(...keys);
    } while (cursor !== '0');
  } finally {
    client.disconnect();
  }
  return deleted;
}

/** Reserves a private key prefix on a Redis server for one test file. */
export async function createTestRedis(label: string): Promise<TestRedis> {
  const { url, container } = await server();
  const prefix = `${uniqueTestName(label)}:`;
  return {
    url,
    prefix,
    async cleanup() {
      try {
        await deleteKeysWithPrefix(url, prefix);
      } finally {
        await container?.stop();
      }
    },
  };
}
