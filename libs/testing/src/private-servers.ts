import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { createServer, Socket } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Client } from 'pg';
import { until } from './until';

/**
 * Private PostgreSQL and Redis servers for fault tests: tests that stop,
 * restart or kill a server must never touch the machine's shared ones, which
 * other test runs are using at the same time. Each server here listens on a
 * free port on 127.0.0.1 and keeps its files under a fresh temporary
 * directory, removed by `destroy()`.
 */

/** A free TCP port on 127.0.0.1 (bound and released; the caller binds it right after). */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

function portAnswers(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = new Socket();
    socket.setTimeout(500);
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
    socket.once('timeout', () => {
      socket.destroy();
      resolve(false);
    });
    socket.connect(port, '127.0.0.1');
  });
}

export interface PrivateRedis {
  readonly url: string;
  readonly port: number;
  /** Starts the server again on the same port (empty: nothing is persisted). */
  start(): Promise<void>;
  /** SIGTERM and wait for the exit. */
  stop(): Promise<void>;
  /** SIGKILL and wait for the exit. */
  kill(): Promise<void>;
  /** Stops and starts again: every key is lost, as after a crash of a cache-only Redis. */
  restart(): Promise<void>;
  /** Stops the server and removes its directory. */
  destroy(): Promise<void>;
}

/**
 * A redis-server on a free port with persistence off (`--save ''
 * --appendonly no`), so a restart loses everything, the worst case the
 * product has to survive.
 */
export async function startPrivateRedis(): Promise<PrivateRedis> {
  const port = await freePort();
  const dir = mkdtempSync(path.join(tmpdir(), 'collab-redis-'));
  let child: ChildProcess | undefined;
  let exited: Promise<void> = Promise.resolve();

  const start = async () => {
    const proc = spawn(
      'redis-server',
      ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir],
      { stdio: 'ignore' },
    );
    child = proc;
    exited = new Promise((resolve) => proc.once('exit', () => resolve()));
    await until(
      async () => {
        if (proc.exitCode !== null) throw new Error(`redis-server exited with ${proc.exitCode}`);
        return portAnswers(port);
      },
      { what: `redis-server to answer on port ${port}`, timeoutMs: 10_000, everyMs: 50 },
    );
  };
  const signal = async (sig: NodeJS.Signals) => {
    const proc = child;
    child = undefined;
    if (!proc || proc.exitCode !== null) return;
    proc.kill(sig);
    await exited;
  };

  await start();
  return {
    url: `redis://127.0.0.1:${port}`,
    port,
    start,
    stop: () => signal('SIGTERM'),
    kill: () => signal('SIGKILL'),
    async restart() {
      await signal('SIGKILL');
      await start();
    },
    async destroy() {
      await signal('SIGKILL');
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export interface PrivatePostgres {
  /** Admin URL (user postgres, trust auth, database postgres). */
  readonly url: string;
  readonly port: number;
  /** URL of another database on this server. */
  urlFor(database: string): string;
  createDatabase(name: string): Promise<string>;
  start(): Promise<void>;
  /** Fast shutdown (`pg_ctl stop -m fast`): connections are terminated, transactions in flight roll back. */
  stop(): Promise<void>;
  /** Fast stop, then start on the same port and data directory. */
  restart(): Promise<void>;
  destroy(): Promise<void>;
}

function postgresBin(): string {
  const base = '/usr/lib/postgresql';
  if (!existsSync(base)) throw new Error(`${base} does not exist: install PostgreSQL server binaries`);
  const versions = readdirSync(base)
    .filter((v) => existsSync(path.join(base, v, 'bin', 'initdb')))
    .sort((a, b) => Number(b) - Number(a));
  if (versions.length === 0) throw new Error(`no initdb under ${base}/*/bin`);
  return path.join(base, versions[0], 'bin');
}

/**
 * A private PostgreSQL cluster: `initdb` into a fresh directory under /tmp,
 * trust authentication, a free port, no fsync (test data only). PostgreSQL
 * refuses to run as root, so when the tests run as root the binaries run as
 * the `postgres` user (runuser).
 */
export async function startPrivatePostgres(): Promise<PrivatePostgres> {
  const bin = postgresBin();
  const port = await freePort();
  const dir = mkdtempSync(path.join(tmpdir(), 'collab-pg-'));
  const data = path.join(dir, 'data');
  const asRoot = process.getuid?.() === 0;
  if (asRoot) {
    execFileSync('chown', ['-R', 'postgres:postgres', dir]);
    chmodSync(dir, 0o700);
  }
  const run = (tool: string, args: string[]) => {
    const file = path.join(bin, tool);
    const [cmd, argv] = asRoot ? ['runuser', ['-u', 'postgres', '--', file, ...args]] : [file, args];
    execFileSync(cmd, argv, { stdio: ['ignore', 'ignore', 'pipe'], cwd: dir });
  };
  run('initdb', ['-D', data, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--no-sync']);
  const url = `postgres://postgres@127.0.0.1:${port}/postgres`;
  const answers = async () => {
    const client = new Client({ connectionString: url, connectionTimeoutMillis: 1000 });
    try {
      await client.connect();
      await client.query('select 1');
      return true;
    } finally {
      await client.end().catch(() => undefined);
    }
  };
  const options = `-p ${port} -c listen_addresses=127.0.0.1 -k ${dir} -c fsync=off -c full_page_writes=off -c max_connections=200`;
  const start = async () => {
    run('pg_ctl', ['-D', data, '-o', options, '-l', path.join(dir, 'log'), '-w', '-t', '60', 'start']);
    // Refused connections while it starts are the expected answer, not an error.
    await until(() => answers().catch(() => false), {
      what: `postgres to answer on port ${port}`,
      timeoutMs: 30_000,
      everyMs: 50,
    });
  };
  const stop = async () => {
    if (existsSync(path.join(data, 'postmaster.pid'))) {
      run('pg_ctl', ['-D', data, '-m', 'fast', '-w', '-t', '60', 'stop']);
    }
  };
  const urlFor = (database: string) => {
    const parsed = new URL(url);
    parsed.pathname = `/${database}`;
    return parsed.toString();
  };
  await start();
  return {
    url,
    port,
    urlFor,
    async createDatabase(name: string) {
      const client = new Client({ connectionString: url });
      await client.connect();
      try {
        await client.query(`CREATE DATABASE "${name}"`);
      } finally {
        await client.end();
      }
      return urlFor(name);
    },
    start,
    stop,
    async restart() {
      await stop();
      await start();
    },
    async destroy() {
      await stop().catch(() => undefined);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
