// The doc-services of the failover benchmark: the local stack (gateway,
// doc-services, snapshot worker, as `npm start` runs it) plus the
// doc-services the benchmark starts itself (replacements after a kill, the
// instance that joins). It knows which instances are alive, so it can say
// which one owns a document: the same rendezvous ring over the same members
// as every gateway and doc-service (libs/cluster, built).
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startLocalStack } from '../../scripts/stack/local-stack.mjs';

const require = createRequire(import.meta.url);
const { Redis } = require('ioredis');
const { HashRing } = require('../../libs/cluster/dist/index.js');
const { redisKeys } = require('../../libs/contracts/dist/index.js');

const DOC_SERVICE_MAIN = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  '../../apps/doc-service/dist/main.js',
);

export class Cluster {
  /** Alive doc-services: { instanceId, child, exited }. */
  alive = [];
  /** Processes that ended without being killed or stopped by the benchmark (a crash is a wrong result). */
  unexpectedExits = [];
  #own = [];
  #killed = new Set();
  #stack;
  #redis;
  #keys;

  constructor(env, port, log) {
    this.env = env;
    this.port = port;
    this.log = log;
    this.url = `http://127.0.0.1:${port}`;
    this.#keys = redisKeys(env.REDIS_PREFIX);
    this.#redis = new Redis(env.REDIS_URL);
  }

  async start(docServices) {
    this.#stack = await startLocalStack({
      env: this.env,
      port: this.port,
      docServices,
      logLevel: 'error',
      write: this.log,
      onExit: (label, code) => {
        if (!this.#killed.has(label)) this.unexpectedExits.push({ label, code });
      },
    });
    for (const { label, child, exited } of this.#stack.children) {
      // local-stack names each doc-service's INSTANCE_ID after its label.
      if (label.startsWith('doc-service-')) this.alive.push({ instanceId: label, child, exited });
    }
  }

  /** Starts one more doc-service; resolves once it is a live member and the gateway routes to it. */
  async startDocService(instanceId) {
    const proc = this.spawnDocService(instanceId);
    await this.settle();
    return proc;
  }

  /** Starts one more doc-service and returns at once (the caller times its joining). */
  spawnDocService(instanceId) {
    const child = spawn(process.execPath, [DOC_SERVICE_MAIN], {
      env: { ...this.env, INSTANCE_ID: instanceId, HTTP_PORT: '0', LOG_LEVEL: 'error' },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    child.stderr.on('data', (chunk) => this.log(`[${instanceId}] ${chunk}`));
    const exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve(code ?? signal)));
    const proc = { instanceId, child, exited };
    void exited.then((code) => {
      if (!this.#killed.has(instanceId)) this.unexpectedExits.push({ label: instanceId, code });
    });
    this.#own.push(proc);
    this.alive.push(proc);
    return proc;
  }

  /** kill -9 (no hand-over); resolves once the process is gone. */
  async kill(proc) {
    this.#killed.add(proc.instanceId);
    proc.child.kill('SIGKILL');
    await proc.exited;
    this.alive = this.alive.filter((p) => p !== proc);
  }

  ownerOf(docId, members = this.alive.map((p) => p.instanceId)) {
    return new HashRing(members).ownerOf(docId);
  }

  /** The members Redis holds as live (entries not yet expired, on Redis's clock). */
  async liveMembers() {
    const [seconds, micros] = await this.#redis.time();
    const now = Number(seconds) * 1000 + Math.floor(Number(micros) / 1000);
    return (await this.#redis.zrangebyscore(this.#keys.membership.members, `(${now}`, '+inf')).sort();
  }

  /**
   * Waits until Redis lists exactly the alive doc-services and the gateway
   * routes over that many, then for two heartbeats more, so every doc-service
   * has rebuilt its ring too (they re-read membership on every heartbeat).
   */
  async settle(timeoutMs = 60_000) {
    const expected = this.alive.map((p) => p.instanceId).sort();
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      for (const { instanceId, child } of this.alive) {
        const ended = child.exitCode ?? child.signalCode;
        if (ended !== null) throw new Error(`${instanceId} exited (${ended})`);
      }
      const live = await this.liveMembers();
      if (live.join() === expected.join() && (await this.gatewayMembers()) === expected.length) break;
      if (Date.now() > deadline) throw new Error(`the ring did not settle on ${expected.join(', ')}`);
      await sleep(50);
    }
    await sleep(2 * Number(this.env.HEARTBEAT_INTERVAL_MS ?? 1000));
  }

  /** How many doc-services the gateway routes over. */
  async gatewayMembers() {
    try {
      return (await (await fetch(`${this.url}/healthz`)).json()).docServices;
    } catch {
      return -1;
    }
  }

  /** Stops the stack (gateway first), then the benchmark's own doc-services, gracefully. */
  async stop() {
    for (const proc of this.#own) this.#killed.add(proc.instanceId);
    await this.#stack?.stop();
    for (const { child, exited } of this.#own) {
      if (child.exitCode !== null || child.signalCode !== null) continue;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
    }
    this.#redis.disconnect();
  }
}

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
