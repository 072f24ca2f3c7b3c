import { Redis } from 'ioredis';
import { Client } from 'pg';
import { createTestDatabase, createTestRedis, TestInfraUnavailableError } from '../src';

describe('test infrastructure', () => {
  it('gives each caller its own database, and drops it afterwards', async () => {
    const a = await createTestDatabase('infra a');
    const b = await createTestDatabase('infra b');
    expect(a.name).not.toBe(b.name);

    const client = new Client({ connectionString: a.url });
    await client.connect();
    const { rows } = await client.query<{ db: string }>('select current_database() as db');
    expect(rows[0].db).toBe(a.name);
    await client.query('create table t (x int)');
    await client.end();

    await a.drop();
    await b.drop();
    const probe = new Client({ connectionString: a.url, connectionTimeoutMillis: 2000 });
    await expect(probe.connect()).rejects.toThrow(/does not exist/);
    await probe.end().catch(() => undefined);
  });

  it('gives each caller its own key prefix, and deletes its keys afterwards', async () => {
    const a = await createTestRedis('infra');
    const b = await createTestRedis('infra');
    expect(a.prefix).not.toBe(b.prefix);

    const redis = new Redis(a.url);
    await redis.set(`${a.prefix}one`, '1');
    await redis.set(`${a.prefix}two`, '2');
    await redis.set(`${b.prefix}kept`, '3');
    await a.cleanup();
    expect(await redis.exists(`${a.prefix}one`, `${a.prefix}two`)).toBe(0);
    expect(await redis.get(`${b.prefix}kept`)).toBe('3');
    await b.cleanup();
    expect(await redis.exists(`${b.prefix}kept`)).toBe(0);
    redis.disconnect();
  });

  it('names all three ways to get a server when none is available', () => {
    const message = new TestInfraUnavailableError('postgres', ['x']).message;
    expect(message).toContain('TEST_DATABASE_URL');
    expect(message).toContain('127.0.0.1:5432');
    expect(message).toContain('container runtime');
  });

  it('refuses an explicit TEST_DATABASE_URL that does not answer rather than silently using another server', async () => {
    const saved = process.env['TEST_DATABASE_URL'];
    process.env['TEST_DATABASE_URL'] = 'postgres://postgres@127.0.0.1:1/postgres';
    try {
      await expect(createTestDatabase('unreachable')).rejects.toThrow();
    } finally {
      if (saved === undefined) delete process.env['TEST_DATABASE_URL'];
      else process.env['TEST_DATABASE_URL'] = saved;
    }
  });
});
