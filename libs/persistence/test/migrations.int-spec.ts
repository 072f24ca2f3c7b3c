import { randomBytes } from 'node:crypto';
import { createTestDatabase, type TestDatabase } from '@collab/testing';
import { Client } from 'pg';
import type { DataSource } from 'typeorm';
import {
  createDataSource,
  databaseNameOf,
  ensureDatabase,
  MIGRATIONS,
  quoteIdentifier,
  revertLastMigration,
  runMigrations,
} from '../src';

const TABLES = [
  'comment_threads',
  'comments',
  'document_members',
  'documents',
  'history_sessions',
  'invitations',
  'mentions',
  'named_versions',
  'notifications',
  'operations',
  'refresh_tokens',
  'snapshot_attributions',
  'snapshots',
  'users',
];

const WITH_MIGRATIONS = [...TABLES, 'migrations'].sort();

let db: TestDatabase;
const open: DataSource[] = [];

async function dataSource(options: { schema?: string } = {}): Promise<DataSource> {
  const ds = await createDataSource({ url: db.url, poolSize: 4, ...options }).initialize();
  open.push(ds);
  return ds;
}

async function tables(ds: DataSource, schema = 'public'): Promise<string[]> {
  const rows: { table_name: string }[] = await ds.query(
    `SELECT table_name FROM information_schema.tables WHERE table_schema = $1 ORDER BY table_name`,
    [schema],
  );
  return rows.map((r) => r.table_name);
}

beforeAll(async () => {
  db = await createTestDatabase('persistence_migrations');
});

afterEach(async () => {
  await Promise.all(open.splice(0).map((ds) => ds.destroy()));
});

afterAll(async () => {
  await db.drop();
});

describe('migrations', () => {
  it('apply on an empty database, are a no-op the second time, and revert cleanly', async () => {
    const ds = await dataSource();
    expect(await tables(ds)).toEqual([]);

    expect(await runMigrations(ds)).toEqual(MIGRATIONS.map((m) => m.name));
    expect(await tables(ds)).toEqual(WITH_MIGRATIONS);

    // Idempotent: nothing pending, nothing changes.
    expect(await runMigrations(ds)).toEqual([]);
    expect(await tables(ds)).toEqual(WITH_MIGRATIONS);

    // The entities describe exactly what the migrations built: TypeORM's diff is empty.
    const diff = await ds.driver.createSchemaBuilder().log();
    expect(diff.upQueries.map((q) => q.query)).toEqual([]);

    // Revertible, down to an empty schema, and applicable again afterwards.
    for (let i = MIGRATIONS.length - 1; i >= 0; i--) {
      expect(await revertLastMigration(ds)).toBe(MIGRATIONS[i].name);
    }
    expect(await revertLastMigration(ds)).toBeNull();
    expect(await tables(ds)).toEqual(['migrations']);
    expect(await runMigrations(ds)).toEqual(MIGRATIONS.map((m) => m.name));
    expect(await tables(ds)).toEqual(WITH_MIGRATIONS);
  });

  it('serializes concurrent migrators: the schema is built once, the others find nothing pending', async () => {
    const schema = `m_${randomBytes(4).toString('hex')}`;
    const sources = await Promise.all([1, 2, 3].map(() => dataSource({ schema })));
    const results = await Promise.all(sources.map((ds) => runMigrations(ds)));
    expect(results.flat()).toEqual(MIGRATIONS.map((m) => m.name));
    expect(await tables(sources[0], schema)).toEqual(WITH_MIGRATIONS);
  });

  it('puts every table in the given schema, and entity queries find them there', async () => {
    const schema = `s_${randomBytes(4).toString('hex')}`;
    const ds = await dataSource({ schema });
    await runMigrations(ds);
    expect(await tables(ds, schema)).toEqual(WITH_MIGRATIONS);
    const [{ count }]: { count: string }[] = await ds.query(`SELECT count(*) FROM users`);
    expect(count).toBe('0');
  });

  it('refuses a schema name it would have to quote', () => {
    expect(() => createDataSource({ url: db.url, schema: 'Bad"Name' })).toThrow(TypeError);
  });
});

describe('ensureDatabase', () => {
  it('creates a missing database once, quoting its name, and leaves an existing one alone', async () => {
    // Upper case, a space and a double quote: only correct quoting creates exactly this name.
    const name = `t_Ensure "db" ${randomBytes(4).toString('hex')}`;
    const url = new URL(db.url);
    url.pathname = `/${encodeURIComponent(name)}`;
    const target = url.toString();
    const adminUrl = new URL(db.url);
    adminUrl.pathname = '/postgres';
    const admin = new Client({ connectionString: adminUrl.toString() });
    await admin.connect();
    try {
      expect(databaseNameOf(target)).toBe(name);
      const results = await Promise.all([ensureDatabase(target), ensureDatabase(target)]);
      expect(results.filter(Boolean)).toHaveLength(1);
      expect(await ensureDatabase(target)).toBe(false);
      const found = await admin.query('SELECT datname FROM pg_database WHERE datname = $1', [name]);
      expect(found.rowCount).toBe(1);
      // The database is usable through the same URL.
      const ds = await createDataSource({ url: target, poolSize: 2 }).initialize();
      open.push(ds);
      expect(await runMigrations(ds)).toEqual(MIGRATIONS.map((m) => m.name));
      await ds.destroy();
      open.pop();
    } finally {
      await admin.query(`DROP DATABASE IF EXISTS ${quoteIdentifier(name)} WITH (FORCE)`);
      await admin.end();
    }
  });

  it('says when the URL names no database', async () => {
    await expect(ensureDatabase('postgres://postgres@127.0.0.1:5432')).rejects.toThrow(/names no database/);
  });
});
