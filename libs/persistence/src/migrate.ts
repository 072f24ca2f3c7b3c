/**
 * Migration command: `node libs/persistence/dist/migrate.js [up|revert]`.
 *
 * Reads DATABASE_URL, creates the database if the server lacks it, then applies
 * the pending migrations (`up`, the default) or reverts the last one (`revert`).
 * Exits 0 on success, 2 on bad usage or configuration, 1 when the database
 * refuses or cannot be reached.
 */
import {
  createDataSource,
  databaseUrlProblems,
  ensureDatabase,
  redactDatabaseUrl,
  revertLastMigration,
  runMigrations,
} from './index';
import { pgErrorFields } from './sql';

const COMMANDS = ['up', 'revert'] as const;
type Command = (typeof COMMANDS)[number];

function isCommand(value: string): value is Command {
  return (COMMANDS as readonly string[]).includes(value);
}

function explain(error: unknown, url: string): string {
  const where = redactDatabaseUrl(url);
  const { code } = pgErrorFields(error);
  const nodeCode = (error as { code?: unknown } | null)?.code;
  if (
    nodeCode === 'ECONNREFUSED' ||
    nodeCode === 'ENOTFOUND' ||
    nodeCode === 'ETIMEDOUT' ||
    nodeCode === 'EAI_AGAIN'
  ) {
    return (
      `cannot reach PostgreSQL at ${where} (${String(nodeCode)}).\n` +
      'Start it (for example `docker compose up -d postgres`) or point DATABASE_URL at a running server.'
    );
  }
  if (code === '28P01' || code === '28000') {
    return `PostgreSQL at ${where} refused the credentials (${code}). Check the user and password in DATABASE_URL.`;
  }
  const message = error instanceof Error ? error.message : String(error);
  return `migration against ${where} failed${code ? ` (SQLSTATE ${code})` : ''}: ${message}`;
}

async function main(argv: readonly string[]): Promise<number> {
  const command = argv[0] ?? 'up';
  if (!isCommand(command) || argv.length > 1) {
    console.error(`usage: node dist/migrate.js [${COMMANDS.join('|')}]`);
    return 2;
  }
  const url = process.env['DATABASE_URL'];
  const problems = databaseUrlProblems(url);
  if (problems.length > 0 || url === undefined) {
    console.error(problems.map((p) => `DATABASE_URL ${p}`).join('\n'));
    return 2;
  }

  try {
    if (await ensureDatabase(url)) console.log(`created database at ${redactDatabaseUrl(url)}`);
    const dataSource = await createDataSource({ url, applicationName: 'collab-migrate' }).initialize();
    try {
      if (command === 'up') {
        const applied = await runMigrations(dataSource);
        console.log(applied.length > 0 ? `applied: ${applied.join(', ')}` : 'no pending migrations');
      } else {
        const reverted = await revertLastMigration(dataSource);
        console.log(reverted ? `reverted: ${reverted}` : 'no migration to revert');
      }
    } finally {
      await dataSource.destroy();
    }
    return 0;
  } catch (error) {
    console.error(explain(error, url));
    return 1;
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  },
);
