import { PostgreSqlContainer, type StartedPostgreSqlContainer } from '@testcontainers/postgresql';
import { Client } from 'pg';
import { describeError, LOCAL_POSTGRES_URL, TestInfraUnavailableError } from './infra-source';
import { uniqueTestName } from './unique-name';

export interface TestDatabase {
  /** Connection URL of the private database. */
  readonly url: string;
  /** The database name (unique per test file and run). */
  readonly name: string;
  /** Drops the database (terminating leftover connections) and stops any container. */
  drop(): Promise<void>;
}

async function answers(url: string): Promise<void> {
  const client = new Client({ connectionString: url, connectionTimeoutMillis: 2000 });
  try {
    await client.connect();
    await client.query('select 1');
  } finally {
    await client.end().catch(() => undefined);
  }
}

async function adminServer(): Promise<{ adminUrl: string; container?: StartedPostgreSqlContainer }> {
  const tried: string[] = [];
  const fromEnv = process.env['TEST_DATABASE_URL'];
  if (fromEnv) {
    // An explicit URL is a promise: if it does not answer, say so instead of silently falling back.
    await answers(fromEnv);
    return { adminUrl: fromEnv };
  }
  tried.push('TEST_DATABASE_URL is not set');
  try {
    await answers(LOCAL_POSTGRES_URL);
    return { adminUrl: LOCAL_POSTGRES_URL };
  } catch (error) {
    tried.push(`${LOCAL_POSTGRES_URL}: ${describeError(error)}`);
  }
  try {
    const container = await new PostgreSqlContainer('postgres:16-alpine').start();
    return { adminUrl: container.getConnectionUri(), container };
  } catch (error) {
    tried.push(`testcontainers: ${describeError(error)}`);
  }
  throw new TestInfraUnavailableError('postgres', tried);
}

function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}

/** Creates a private, empty PostgreSQL database for one test file. */
export async function createTestDatabase(label: string): Promise<TestDatabase> {
  const { adminUrl, container } = await adminServer();
  const name = uniqueTestName(label);
  const admin = new Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE "${name}"`);
  } finally {
    await admin.end();
  }
  return {
    url: withDatabase(adminUrl, name),
    name,
    async drop() {
      const client = new Client({ connectionString: adminUrl });
      await client.connect();
      try {
        // FORCE ends connections a failed test left open, so cleanup never hangs.
        await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      } finally {
        await client.end();
        await container?.stop();
      }
    },
  };
}
