import { scrapeMetric, until } from '@collab/testing';
import { type ChildProcess, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { createConnection, createServer } from 'node:net';
import path from 'node:path';
import { Writable } from 'node:stream';
import { createLogger } from '@collab/observability';
import { loadConfig } from '../src/config/env';
import { createGatewayApp } from '../src/gateway.app';
import { GatewayHarness, JWT_SECRET, request, type RunningGateway } from './harness';

jest.setTimeout(60_000);

const DOC_SERVICE_MAIN = path.resolve(__dirname, '../../doc-service/dist/main.js');

type LogLine = Record<string, unknown> & { msg?: string; correlationId?: string };

let h: GatewayHarness;
let gateway: RunningGateway;
const gatewayLines: LogLine[] = [];
const docServiceLines: LogLine[] = [];

/** A pino destination that keeps each JSON line, as the process would print it. */
function capture(into: LogLine[]): Writable {
  return new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString('utf8').split('\n'))
        if (line.trim()) into.push(JSON.parse(line) as LogLine);
      done();
    },
  });
}

beforeAll(async () => {
  h = await GatewayHarness.create('gw-obs');
  // A doc-service logging at debug, its stdout read line by line.
  const instanceId = `ds-${randomUUID().slice(0, 8)}`;
  const child = spawn(process.execPath, [DOC_SERVICE_MAIN], {
    env: {
      PATH: process.env['PATH'],
      DATABASE_URL: h.db.url,
      REDIS_URL: h.infra.url,
      REDIS_PREFIX: h.infra.prefix,
      INSTANCE_ID: instanceId,
      HTTP_PORT: '0',
      MEMBERSHIP_TTL_MS: '2000',
      HEARTBEAT_INTERVAL_MS: '200',
      LOG_LEVEL: 'debug',
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  child.stdout.pipe(capture(docServiceLines));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  h.docServices.push({ instanceId, child, exited });
  await until(async () => (await h.redis.zscore(h.keys.membership.members, instanceId)) !== null, {
    what: 'the doc-service to join',
    timeoutMs: 20_000,
  });

  const config = loadConfig({
    DATABASE_URL: h.db.url,
    REDIS_URL: h.infra.url,
    REDIS_PREFIX: h.infra.prefix,
    JWT_SECRET,
    MEMBERSHIP_POLL_MS: '200',
    DB_POOL_SIZE: '4',
  });
  const log = createLogger({
    service: 'gateway',
    instance: 'gw-obs',
    level: 'debug',
    destination: capture(gatewayLines),
  });
  const app = await createGatewayApp(config, log);
  await app.listen(0, '127.0.0.1');
  gateway = { app, url: `http://127.0.0.1:${(app.getHttpServer().address() as { port: number }).port}` };
  h.gateways.push(gateway);
  await h.settle();
});

afterAll(async () => {
  await h?.close();
});

describe('gateway observability', () => {
  it('counts an operation received and committed with a latency sample, and a refusal by code', async () => {
    const owner = await h.createUser();
    const viewer = await h.createUser();
    const docId = await h.createDocument(owner);
    await h.addMember(docId, viewer, 'viewer');
    const before = {
      received: await scrapeMetric(gateway.url, 'collab_ops_received_total'),
      committed: await scrapeMetric(gateway.url, 'collab_ops_committed_total'),
      latency: await scrapeMetric(gateway.url, 'collab_op_ack_seconds_count'),
      forbidden: await scrapeMetric(gateway.url, 'collab_ops_refused_total{code="FORBIDDEN"}'),
      joins: await scrapeMetric(gateway.url, 'collab_joins_total{outcome="ok"}'),
    };

    const a = await h.connect(gateway, owner);
    const v = await h.connect(gateway, viewer);
    expect(await request(a, 'join', { docId })).toMatchObject({ ok: true });
    expect(await request(v, 'join', { docId })).toMatchObject({ ok: true });
    const op = { docId, clientId: 'c1', seq: 1, baseVersion: 0, delta: [{ insert: 'Hi' }] };
    expect(await request(a, 'op', op)).toEqual({ ok: true, version: 1 });
    expect(await request(v, 'op', { ...op, clientId: 'v1' })).toMatchObject({
      ok: false,
      error: { code: 'FORBIDDEN' },
    });

    expect(await scrapeMetric(gateway.url, 'collab_ops_received_total')).toBe(before.received + 2);
    expect(await scrapeMetric(gateway.url, 'collab_ops_committed_total')).toBe(before.committed + 1);
    expect(await scrapeMetric(gateway.url, 'collab_op_ack_seconds_count')).toBe(before.latency + 1);
    expect(await scrapeMetric(gateway.url, 'collab_ops_refused_total{code="FORBIDDEN"}')).toBe(
      before.forbidden + 1,
    );
    expect(await scrapeMetric(gateway.url, 'collab_joins_total{outcome="ok"}')).toBe(before.joins + 2);
    expect(await scrapeMetric(gateway.url, 'collab_sockets')).toBeGreaterThanOrEqual(2);
    expect(await scrapeMetric(gateway.url, 'collab_membership_members')).toBe(1);
    const text = await (await fetch(`${gateway.url}/metrics`)).text();
    expect(text).toContain('# TYPE collab_op_ack_seconds histogram');
    expect(text).toContain('collab_nodejs_eventloop_lag_seconds ');
    expect(text).toContain('collab_gateway_rate_limited_total ');
    expect(text).not.toContain(docId);
  });

  it('logs one operation with the same correlation id in the gateway and the doc-service', async () => {
    const owner = await h.createUser();
    const docId = await h.createDocument(owner);
    const a = await h.connect(gateway, owner);
    await request(a, 'join', { docId });
    const seq = 7;
    expect(
      await request(a, 'op', { docId, clientId: 'corr', seq, baseVersion: 0, delta: [{ insert: 'x' }] }),
    ).toEqual({
      ok: true,
      version: 1,
    });
    const received = docServiceLines.find(
      (line) => line.msg === 'op received' && line['docId'] === docId && line['seq'] === seq,
    );
    await until(
      async () => docServiceLines.some((line) => line.msg === 'op received' && line['docId'] === docId),
      { what: "the doc-service's 'op received' line" },
    );
    const atDocService =
      received ?? docServiceLines.find((line) => line.msg === 'op received' && line['docId'] === docId);
    const correlationId = atDocService?.correlationId;
    expect(typeof correlationId).toBe('string');
    // Its lines arrive over the doc-service's stdout, perhaps after the ack.
    await until(
      async () =>
        docServiceLines.some((line) => line.msg === 'op committed' && line.correlationId === correlationId),
      { what: "the doc-service's 'op committed' line" },
    );
    expect(docServiceLines).toContainEqual(
      expect.objectContaining({ msg: 'op committed', correlationId, service: 'doc-service' }),
    );
    expect(gatewayLines).toContainEqual(
      expect.objectContaining({ msg: 'op received', correlationId, service: 'gateway' }),
    );
    expect(gatewayLines).toContainEqual(expect.objectContaining({ msg: 'op acknowledged', correlationId }));
  });

  it('answers /healthz and /readyz 200 when PostgreSQL, Redis and the ring are there', async () => {
    const live = await fetch(`${gateway.url}/healthz`);
    expect(live.status).toBe(200);
    expect(await live.json()).toMatchObject({ ok: true, gatewayId: expect.any(String), docServices: 1 });
    const ready = await fetch(`${gateway.url}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({
      status: 'ok',
      info: { database: { status: 'up' }, redis: { status: 'up' }, ring: { status: 'up' } },
    });
  });

  it('serves /metrics only to the bearer of METRICS_TOKEN when it is set, with the probes still open', async () => {
    const token = 'scrape-token-0123456789abcdef';
    const guarded = await h.startGateway({ METRICS_TOKEN: token });
    const refused = await fetch(`${guarded.url}/metrics`);
    expect(refused.status).toBe(401);
    expect(await refused.json()).toMatchObject({ error: { code: 'UNAUTHENTICATED' } });
    const wrong = await fetch(`${guarded.url}/metrics`, { headers: { authorization: `Bearer ${token}0` } });
    expect(wrong.status).toBe(401);
    const scraped = await fetch(`${guarded.url}/metrics`, { headers: { authorization: `Bearer ${token}` } });
    expect(scraped.status).toBe(200);
    expect(await scraped.text()).toContain('collab_sockets ');
    expect((await fetch(`${guarded.url}/healthz`)).status).toBe(200);
    expect((await fetch(`${guarded.url}/readyz`)).status).toBe(200);
  });

  it('answers /readyz 503 naming Redis when its Redis is unreachable, while /healthz still answers', async () => {
    const redis = await startPrivateRedis();
    const config = loadConfig({
      DATABASE_URL: h.db.url,
      REDIS_URL: redis.url,
      JWT_SECRET,
      MEMBERSHIP_POLL_MS: '200',
      DB_POOL_SIZE: '2',
      LOG_LEVEL: 'silent',
    });
    const app = await createGatewayApp(
      config,
      createLogger({ service: 'gateway', instance: 'x', level: 'silent' }),
    );
    try {
      await app.listen(0, '127.0.0.1');
      const url = `http://127.0.0.1:${(app.getHttpServer().address() as { port: number }).port}`;
      // No doc-service on this Redis: the ring is down, Redis is up.
      const before = await fetch(`${url}/readyz`);
      expect(before.status).toBe(503);
      expect(await before.json()).toMatchObject({
        info: { redis: { status: 'up' } },
        error: { ring: { status: 'down' } },
      });
      await redis.kill();
      const after = await fetch(`${url}/readyz`);
      expect(after.status).toBe(503);
      expect(await after.json()).toMatchObject({ status: 'error', error: { redis: { status: 'down' } } });
      expect((await fetch(`${url}/healthz`)).status).toBe(200);
    } finally {
      await Promise.race([app.close(), new Promise((resolve) => setTimeout(resolve, 5000))]);
      await redis.kill();
    }
  });
});

/** A throwaway redis-server on a free port (never the shared one), killed by the test. */
async function startPrivateRedis(): Promise<{ url: string; kill(): Promise<void> }> {
  const port = await new Promise<number>((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port: free } = server.address() as { port: number };
      server.close(() => resolve(free));
    });
  });
  const child: ChildProcess = spawn(
    'redis-server',
    ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
    {
      stdio: 'ignore',
    },
  );
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const url = `redis://127.0.0.1:${port}`;
  await until(
    async () => {
      if (child.exitCode !== null) throw new Error(`redis-server exited with ${child.exitCode}`);
      return new Promise<boolean>((resolve) => {
        const socket = createConnection(port);
        socket.once('connect', () => {
          socket.destroy();
          resolve(true);
        });
        socket.once('error', () => resolve(false));
      });
    },
    { what: 'the private redis-server to accept connections' },
  );
  return {
    url,
    async kill() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await exited;
    },
  };
}
