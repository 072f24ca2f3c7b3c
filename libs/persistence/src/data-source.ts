import { Client } from 'pg';
import { DataSource, MigrationExecutor } from 'typeorm';
import { ENTITIES } from './entities';
import { MIGRATIONS } from './migrations';
import { PgErrorCode, pgErrorFields, quoteIdentifier } from './sql';

/** Options of {@link createDataSource}. */
export interface PersistenceOptions {
  /** A PostgreSQL URL: `postgres://user:password@host:5432/database`. */
  readonly url: string;
  /**
   * A schema to hold every table (created by {@link runMigrations}), for example
   * one per test. Lower-case letters, digits and underscores. Default: the
   * connection's default (`public`).
   */
  readonly schema?: string;
  /** Maximum connections in the pool (node-postgres default: 10). */
  readonly poolSize?: number;
  /** Log every query through TypeORM's logger. Default false. */
  readonly logging?: boolean;
  /** Shown in `pg_stat_activity.application_name`, e.g. the service name. */
  readonly applicationName?: string;
}

const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

/**
 * Creates (does not connect) the TypeORM DataSource with every entity and
 * migration registered. Call `await dataSource.initialize()` before use and
 * `await dataSource.destroy()` at shutdown.
 *
 * The schema is owned by the migrations: `synchronize` and `migrationsRun` are
 * off, and TypeORM installs no extensions on connect. Run {@link runMigrations}
 * (or `node dist/migrate.js`) before serving.
 *
 * With `schema`, the connection's `search_path` is that schema, so the library's
 * raw SQL and TypeORM's entity queries both resolve there.
 *
 * @throws TypeError for a schema name outside `[a-z_][a-z0-9_]*`.
 */
export function createDataSource(options: PersistenceOptions): DataSource {
  const { url, schema, poolSize, logging = false, applicationName } = options;
  if (schema !== undefined && !SCHEMA_NAME.test(schema)) {
    throw new TypeError(`schema must match ${SCHEMA_NAME}, got ${JSON.stringify(schema)}`);
  }
  return new DataSource({
    type: 'postgres',
    url,
    schema,
    poolSize,
    logging,
    applicationName,
    entities: [...ENTITIES],
    migrations: [...MIGRATIONS],
    migrationsRun: false,
    synchronize: false,
    // Each migration in its own transaction: a failure leaves the earlier ones applied and recorded.
    migrationsTransactionMode: 'each',
    installExtensions: false,
    // Only names the generator in TypeORM's metadata; the tables use the built-in gen_random_uuid().
    uuidExtension: 'pgcrypto',
    extra: schema === undefined ? {} : { options: `-c search_path=${schema}` },
  });
}

// Advisory locks are per database, so this serializes the migrators of one database only.
const MIGRATION_LOCK = 'collab.persistence.migrations';

/**
 * Runs `fn` with a fresh executor on one connection that holds a session
 * advisory lock. Several instances starting at once (two doc-services, a
 * gateway) run their migrations one after the other instead of racing on
 * CREATE TABLE; the later ones find nothing pending.
 */
async function withMigrationLock<T>(
  dataSource: DataSource,
  fn: (executor: MigrationExecutor) => Promise<T>,
): Promise<T> {
  const runner = dataSource.createQueryRunner();
  try {
    await runner.query('SELECT pg_advisory_lock(hashtext($1))', [MIGRATION_LOCK]);
    try {
      const schema = dataSource.options.type === 'postgres' ? dataSource.options.schema : undefined;
      if (schema !== undefined) await runner.query(`CREATE SCHEMA IF NOT EXISTS ${quoteIdentifier(schema)}`);
      const executor = new MigrationExecutor(dataSource, runner);
      executor.transaction = 'each';
      return await fn(executor);
    } finally {
      // The lock belongs to the session: release it before the connection goes back to the pool.
      await runner.query('SELECT pg_advisory_unlock(hashtext($1))', [MIGRATION_LOCK]).catch(() => undefined);
    }
  } finally {
    await runner.release();
  }
}

/**
 * Applies the pending migrations, each in its own transaction, under a
 * database-wide advisory lock. Running it again is a no-op.
 *
 * @param dataSource An initialized DataSource from {@link createDataSource}.
 * @returns The names of the migrations applied by this call, oldest first.
 */
export async function runMigrations(dataSource: DataSource): Promise<string[]> {
  return withMigrationLock(dataSource, async (executor) => {
    const applied = await executor.executePendingMigrations();
    return applied.map((migration) => migration.name);
  });
}

/**
 * Reverts the most recently applied migration, under the same lock as
 * {@link runMigrations}. For operators and tests; services never call it.
 *
 * @returns The name of the reverted migration, or null if none was applied.
 */
export async function revertLastMigration(dataSource: DataSource): Promise<string | null> {
  return withMigrationLock(dataSource, async (executor) => {
    // Executed migrations come newest first.
    const [last] = await executor.getExecutedMigrations();
    if (!last) return null;
    await executor.undoLastMigration();
    return last.name;
  });
}

/** The database a PostgreSQL URL names. @throws TypeError if it names none. */
export function databaseNameOf(url: string): string {
  const name = decodeURIComponent(new URL(url).pathname.replace(/^\//, ''));
  if (name.length === 0) throw new TypeError('the database URL names no database (expected .../<database>)');
  return name;
}

function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${encodeURIComponent(database)}`;
  return parsed.toString();
}

async function connectToMaintenanceDatabase(url: string): Promise<Client> {
  let lastError: unknown;
  // `postgres` is the usual maintenance database; `template1` always exists when it does not.
  for (const database of ['postgres', 'template1']) {
    const client = new Client({ connectionString: withDatabase(url, database) });
    try {
      await client.connect();
      return client;
    } catch (error) {
      await client.end().catch(() => undefined);
      lastError = error;
      if (pgErrorFields(error).code !== PgErrorCode.INVALID_CATALOG_NAME) break;
    }
  }
  throw lastError;
}

/**
 * Creates the database that `url` names if the server does not have it yet,
 * connecting to the server's `postgres` database to do so (`template1` if that
 * one is missing). Safe to run concurrently: losing a creation race counts as
 * "already there".
 *
 * @returns true if this call created the database.
 */
export async function ensureDatabase(url: string): Promise<boolean> {
  const name = databaseNameOf(url);
  const admin = await connectToMaintenanceDatabase(url);
  try {
    const existing = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if ((existing.rowCount ?? 0) > 0) return false;
    try {
      await admin.query(`CREATE DATABASE ${quoteIdentifier(name)}`);
      return true;
    } catch (error) {
      const { code } = pgErrorFields(error);
      // Two creators at once: the loser gets duplicate_database, or a unique violation on pg_database.
      if (code === PgErrorCode.DUPLICATE_DATABASE || code === PgErrorCode.UNIQUE_VIOLATION) return false;
      throw error;
    }
  } finally {
    await admin.end().catch(() => undefined);
  }
}
