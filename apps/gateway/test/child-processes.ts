import { type ChildProcess, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import type { RedisKeys } from '@collab/contracts';
import { freePort, type TestDatabase, type TestRedis, until } from '@collab/testing';
import { Redis } from 'ioredis';

const DOC_SERVICE_MAIN = path.resolve(__dirname, '../../doc-service/dist/main.js');
const GATEWAY_MAIN = path.resolve(__dirname, '../dist/main.js');

/** A gateway in its own process (the built gateway), which a test can kill with a signal. */
export interface GatewayProcess {
  readonly url: string;
  readonly port: number;
  readonly child: ChildProcess;
  readonly exited: Promise<number | null>;
}

export interface DocServiceProcess {
  readonly instanceId: string;
  readonly child: ChildProcess;
  readonly exited: Promise<number | null>;
}

/** A child on its way up: `ready` settles once it serves, or fails when it exits first. */
interface Launch<P> {
  readonly proc: P;
  readonly ready: Promise<void>;
}

/** Where a doc-service child connects: the harness's private database and Redis prefix. */
interface PrivateServers {
  readonly db: TestDatabase;
  readonly infra: TestRedis;
  readonly keys: RedisKeys;
}

/**
 * Runs a built app as a child of the test process with `env` and nothing else
 * but PATH. DS_LOG=warn (or debug) shows the children's logs when a test fails.
 */
function spawnBuilt(main: string, env: Record<string, string>) {
  const child = spawn(process.execPath, [main], {
    env: { PATH: process.env['PATH'], ...env },
    stdio: ['ignore', process.env['DS_LOG'] ? 'inherit' : 'ignore', 'inherit'],
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, exited };
}

/**
 * Starts a doc-service process (the built doc-service, as in production) on
 * `servers`; `overrides` replace its environment defaults (e.g. HTTP_PORT).
 * The caller records `proc` before awaiting `ready`, so that its cleanup ends
 * the child even when it never joins.
 */
export async function launchDocService(
  servers: PrivateServers,
  overrides: Record<string, string>,
): Promise<Launch<DocServiceProcess>> {
  const instanceId = `ds-${randomUUID().slice(0, 8)}`;
  const joined = await listenForJoin(servers, instanceId);
  const { child, exited } = spawnBuilt(DOC_SERVICE_MAIN, {
    DATABASE_URL: servers.db.url,
    REDIS_URL: servers.infra.url,
    REDIS_PREFIX: servers.infra.prefix,
    INSTANCE_ID: instanceId,
    HTTP_PORT: '0',
    MEMBERSHIP_TTL_MS: '2000',
    HEARTBEAT_INTERVAL_MS: '200',
    LOG_LEVEL: process.env['DS_LOG'] ?? 'silent',
    ...overrides,
  });
  return { proc: { instanceId, child, exited }, ready: joined(exited) };
}

/**
 * Subscribes to the membership channel before the process starts, so its
 * join announcement cannot be missed, and returns the wait: it resolves on
 * the announcement and fails at once when the process exits first. The
 * bound only turns a hang into a failure: a doc-service on a loaded machine
 * may take many seconds to boot.
 */
async function listenForJoin(
  servers: PrivateServers,
  instanceId: string,
  timeoutMs = 120_000,
): Promise<(exited: Promise<number | null>) => Promise<void>> {
  const subscriber = new Redis(servers.infra.url);
  const channel = servers.keys.membership.channel;
  const announced = new Promise<void>((resolve) => {
    subscriber.on('message', (from: string, message: string) => {
      if (from === channel && message === `join:${instanceId}`) resolve();
    });
  });
  await subscriber.subscribe(channel);
  return async (exited) => {
    let timer: NodeJS.Timeout | undefined;
    const failed = new Promise<never>((_, reject) => {
      void exited.then((code) =>
        reject(new Error(`doc-service ${instanceId} exited with ${code} before it joined`)),
      );
      timer = setTimeout(
        () =>
          reject(new Error(`timed out after ${timeoutMs} ms waiting for doc-service ${instanceId} to join`)),
        timeoutMs,
      );
    });
    try {
      await Promise.race([announced, failed]);
    } finally {
      clearTimeout(timer);
      subscriber.disconnect();
    }
  };
}

/**
 * Starts the built gateway as its own process with `env`, on `port` (a free
 * one if not given). `ready` resolves once it answers /healthz; like
 * launchDocService, the caller records `proc` first.
 */
export async function launchGateway(
  env: Record<string, string>,
  port?: number,
): Promise<Launch<GatewayProcess>> {
  const listenPort = port ?? (await freePort());
  const { child, exited } = spawnBuilt(GATEWAY_MAIN, { PORT: String(listenPort), ...env });
  const proc = { url: `http://127.0.0.1:${listenPort}`, port: listenPort, child, exited };
  const ready = until(
    async () => {
      if (child.exitCode !== null) throw new Error(`gateway :${listenPort} exited with ${child.exitCode}`);
      return fetch(`${proc.url}/healthz`).then(
        (res) => res.ok,
        () => false,
      );
    },
    { what: `gateway :${listenPort} to answer /healthz`, timeoutMs: 60_000, everyMs: 50 },
  );
  return { proc, ready };
}

/** SIGTERM, then SIGKILL after 5 s for a child that does not stop; resolves on its exit. */
export async function terminate(proc: {
  child: ChildProcess;
  exited: Promise<number | null>;
}): Promise<void> {
  proc.child.kill('SIGTERM');
  const timer = setTimeout(() => proc.child.kill('SIGKILL'), 5000);
  await proc.exited;
  clearTimeout(timer);
}
