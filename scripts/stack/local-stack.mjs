// The local stack as `npm start` runs it: one gateway, two doc-services and
// the snapshot worker as child processes of the built apps, sharing one
// database and one Redis prefix. bench/e2e and the browser tests start the
// same stack through this module, so what they measure is what people run.
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const MAIN = {
  gateway: path.join(ROOT, 'apps/gateway/dist/main.js'),
  docService: path.join(ROOT, 'apps/doc-service/dist/main.js'),
  worker: path.join(ROOT, 'apps/snapshot-worker/dist/main.js'),
  migrate: path.join(ROOT, 'libs/persistence/dist/migrate.js'),
};

/** Development-only key; `npm start` warns when it is used. Production sets JWT_SECRET. */
const DEV_JWT_SECRET = 'local-development-secret-change-me-0123456789';

/** The stack's environment: the caller's, with local defaults for what it leaves unset. */
export function stackEnv(base = process.env) {
  const port = base.PORT ?? '3000';
  return {
    ...base,
    // The app is served by the gateway itself, and by Vite's dev server in development.
    ALLOWED_ORIGINS:
      base.ALLOWED_ORIGINS ??
      [
        `http://localhost:${port}`,
        `http://127.0.0.1:${port}`,
        'http://localhost:5173',
        'http://127.0.0.1:5173',
      ].join(','),
    DATABASE_URL: base.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/collab',
    REDIS_URL: base.REDIS_URL ?? 'redis://127.0.0.1:6379',
    REDIS_PREFIX: base.REDIS_PREFIX ?? 'collab:',
    JWT_SECRET: base.JWT_SECRET ?? DEV_JWT_SECRET,
    // Links in mails lead to the app the gateway serves.
    PUBLIC_APP_URL: base.PUBLIC_APP_URL ?? `http://localhost:${port}`,
  };
}

/**
 * Where the stack's mails go, as `npm start` says it: through the SMTP server
 * of SMTP_URL (its host only: the URL may carry a password), or, with none
 * (the default), into the snapshot worker's log as JSON lines.
 */
export function mailSummary(env) {
  if (!env.SMTP_URL) {
    return (
      'mail: no SMTP_URL, so mentions and invitations are not emailed: each mail is written to the ' +
      'snapshot worker\'s log as a JSON line ("mail written to the log"), and mentions stay in the in-app inbox'
    );
  }
  let host = 'the configured server';
  try {
    host = new URL(env.SMTP_URL).host;
  } catch {
    // The worker refuses an invalid SMTP_URL at boot and says why.
  }
  return `mail: sent through SMTP at ${host}, links to ${env.PUBLIC_APP_URL}`;
}

/** Placeholder secrets: the dev key above, and the one .env.example ships (copied to .env as it is). */
const PLACEHOLDER_SECRET = /change-me/i;

/**
 * What `npm start` warns about before it runs the stack: a placeholder JWT
 * secret (anyone can mint tokens with a published key), and an
 * ALLOWED_ORIGINS that leaves out the address the app is served from (the
 * page could never open a socket).
 */
export function configurationWarnings(env) {
  const warnings = [];
  if (env.JWT_SECRET === DEV_JWT_SECRET || PLACEHOLDER_SECRET.test(env.JWT_SECRET ?? '')) {
    warnings.push(
      'JWT_SECRET is a placeholder; set a long random one (see .env.example) anywhere but your laptop',
    );
  }
  const port = env.PORT ?? '3000';
  const origins = (env.ALLOWED_ORIGINS ?? '').split(',').map((o) => o.trim().replace(/\/$/, ''));
  const app = [`http://localhost:${port}`, `http://127.0.0.1:${port}`];
  if (!app.some((origin) => origins.includes(origin))) {
    warnings.push(
      `ALLOWED_ORIGINS (${env.ALLOWED_ORIGINS}) leaves out ${app[0]}, where the app is served: ` +
        'its page cannot connect (the gateway refuses it with ORIGIN_NOT_ALLOWED)',
    );
  }
  return warnings;
}

function prefixLines(stream, label, write) {
  if (!stream) return;
  createInterface({ input: stream }).on('line', (line) => write(`[${label}] ${line}\n`));
}

/** Creates the database if missing and applies migrations; rejects with the migrate command's message. */
export function migrate(env, write = (s) => process.stdout.write(s)) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [MAIN.migrate, 'up'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let errors = '';
    prefixLines(child.stdout, 'migrate', write);
    child.stderr.on('data', (chunk) => (errors += chunk));
    child.once('exit', (code) =>
      code === 0 ? resolve() : reject(new Error(errors.trim() || `migrate exited with ${code}`)),
    );
  });
}

async function waitForHealthy(url, gatewayId, docServices, timeoutMs, exited, signal) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (signal?.aborted) throw new Error('interrupted while the stack was starting');
    if (exited()) throw new Error(`${exited()} exited while the stack was starting`);
    try {
      const response = await fetch(`${url}/healthz`);
      const body = response.ok ? await response.json() : {};
      // Our gateway, not another stack's that holds the port (ours then exits with EADDRINUSE).
      if (body.gatewayId === gatewayId && body.docServices === docServices) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`the gateway at ${url} did not see ${docServices} doc-services within ${timeoutMs} ms`);
}

/**
 * Starts the stack and resolves once the gateway routes over every
 * doc-service. `onExit(label, code)` is called when a process ends that was
 * not asked to stop after start-up; an exit during start-up, or `signal`
 * aborting, stops everything already started and rejects.
 */
/**
 * Node flags every service runs with, as the Dockerfile's CMD gives them:
 * garbage collection on the main thread alone (see the Dockerfile).
 */
const SERVICE_NODE_ARGS = ['--single-threaded-gc'];

export async function startLocalStack({
  env = stackEnv(),
  port = Number(env.PORT ?? 3000),
  docServices = 2,
  workers = 1,
  logLevel = env.LOG_LEVEL ?? 'info',
  write = (s) => process.stdout.write(s),
  onExit = () => undefined,
  signal,
  nodeArgs = [],
} = {}) {
  const children = [];
  let stopping = false;
  let firstExit = null;

  let started = false;
  const run = (label, main, extra) => {
    const child = spawn(process.execPath, [...SERVICE_NODE_ARGS, ...nodeArgs, main], {
      env: { ...env, LOG_LEVEL: logLevel, ...extra },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    prefixLines(child.stdout, label, write);
    prefixLines(child.stderr, label, write);
    const exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve(code ?? signal)));
    void exited.then((code) => {
      if (stopping) return;
      firstExit ??= label;
      // While starting, the wait below sees the exit and stops the rest.
      if (started) onExit(label, code);
    });
    children.push({ label, child, exited });
  };

  for (let i = 1; i <= docServices; i++) {
    run(`doc-service-${i}`, MAIN.docService, {
      INSTANCE_ID: `doc-service-${i}`,
      HTTP_PORT: String(port + 100 + i),
    });
  }
  // Health ports follow the gateway's (3101.., 3200.. for port 3000), so two stacks on one machine do not collide.
  for (let i = 1; i <= workers; i++) run(`worker-${i}`, MAIN.worker, { HTTP_PORT: String(port + 199 + i) });
  const gatewayId = `gateway-1-${process.pid}`;
  run('gateway', MAIN.gateway, { PORT: String(port), GATEWAY_ID: gatewayId });

  const stop = async () => {
    stopping = true;
    // Gateway first (no new operations), then the doc-services flush and leave.
    for (const { child, exited } of [...children].reverse()) {
      if (child.exitCode !== null || child.signalCode !== null) continue;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
    }
  };

  const url = `http://127.0.0.1:${port}`;
  try {
    await waitForHealthy(url, gatewayId, docServices, 30_000, () => firstExit, signal);
    started = true;
  } catch (error) {
    await stop();
    throw error;
  }
  return { url, stop, children };
}
