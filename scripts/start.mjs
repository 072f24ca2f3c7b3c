// `npm start`: builds the apps (and the web app the gateway serves), checks PostgreSQL and Redis, creates the
// database and applies migrations, then runs the local stack until Ctrl-C.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { checkPostgres, checkRedis } from './stack/preflight.mjs';
import {
  configurationWarnings,
  mailSummary,
  migrate,
  stackEnv,
  startLocalStack,
} from './stack/local-stack.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const envFile = path.join(ROOT, '.env');
if (existsSync(envFile)) process.loadEnvFile(envFile);
const env = stackEnv(process.env);

async function main() {
  if (!process.argv.includes('--no-build')) {
    console.log('building the apps...');
    execFileSync(
      'npx',
      [
        'nx',
        'run-many',
        '-t',
        'build',
        '-p',
        '@collab/gateway',
        '@collab/doc-service',
        '@collab/snapshot-worker',
        '@collab/web',
        '--output-style=static',
      ],
      {
        cwd: ROOT,
        stdio: ['ignore', 'ignore', 'inherit'],
        env: { ...process.env, NX_DAEMON: 'false', NX_TUI: 'false', NX_NO_CLOUD: 'true' },
      },
    );
  }
  const problems = (await Promise.all([checkPostgres(env.DATABASE_URL), checkRedis(env.REDIS_URL)])).filter(
    Boolean,
  );
  if (problems.length > 0) {
    for (const problem of problems) console.error(problem);
    process.exit(1);
  }
  await migrate(env);
  for (const warning of configurationWarnings(env)) console.warn(`warning: ${warning}`);
  // Ctrl-C while starting aborts the start (which stops what it started);
  // after that it stops the running stack.
  const interrupted = new AbortController();
  let stack;
  for (const signal of ['SIGINT', 'SIGTERM']) {
    process.on(signal, () => {
      if (interrupted.signal.aborted) return;
      interrupted.abort();
      if (!stack) return;
      console.log('stopping...');
      void stack.stop().then(() => process.exit(0));
    });
  }
  stack = await startLocalStack({
    env,
    signal: interrupted.signal,
    onExit: (label, code) => {
      console.error(`${label} exited (${code}); stopping the stack`);
      void stack.stop().then(() => process.exit(1));
    },
  });
  console.log(mailSummary(env));
  console.log(`collab is running at http://localhost:${env.PORT ?? 3000} (Ctrl-C to stop)`);
}

main().catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
