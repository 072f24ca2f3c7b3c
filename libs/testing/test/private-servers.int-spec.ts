import { Redis } from 'ioredis';
import { Client } from 'pg';
import { startPrivatePostgres, startPrivateRedis } from '../src';

jest.setTimeout(120_000);

describe('private servers for fault tests', () => {
  it('a private Redis loses every key on restart and answers again on the same port', async () => {
    const redis = await startPrivateRedis();
    const client = new Redis(redis.url, { maxRetriesPerRequest: null });
    client.on('error', () => undefined);
    try {
      await client.set('k', 'v');
      await redis.restart();
      expect(await client.get('k')).toBeNull();
      await redis.stop();
      await expect(
        new Redis(redis.url, {
          lazyConnect: true,
          maxRetriesPerRequest: 0,
          retryStrategy: () => null,
        }).connect(),
      ).rejects.toThrow();
    } finally {
      client.disconnect();
      await redis.destroy();
    }
  });

  it('a private PostgreSQL keeps committed data across a restart and refuses connections while stopped', async () => {
    const pg = await startPrivatePostgres();
    try {
      const url = await pg.createDatabase('chaos_probe');
      const write = new Client({ connectionString: url });
      await write.connect();
      await write.query('CREATE TABLE t (v int)');
      await write.query('INSERT INTO t VALUES (1)');
      await write.end();
      await pg.stop();
      const refused = new Client({ connectionString: url, connectionTimeoutMillis: 1000 });
      await expect(refused.connect()).rejects.toThrow();
      await pg.start();
      const read = new Client({ connectionString: url });
      await read.connect();
      expect((await read.query('SELECT v FROM t')).rows).toEqual([{ v: 1 }]);
      await read.end();
    } finally {
      await pg.destroy();
    }
  });
});
