import 'reflect-metadata';
import { Writable } from 'node:stream';
import { NestFactory } from '@nestjs/core';
import type { INestApplicationContext } from '@nestjs/common';
import { ObservabilityModule } from './health/observability.module';
import { ProbesController } from './health/probes.controller';
import { ringCheck } from './health/readiness-checks';
import { createLogger } from './logging/create-logger';
import { MetricName } from './metrics/metric-names';
import { codeLabel, createMetricsRegistry } from './metrics/metrics-registry';
import { OperationMetrics, QueueMetrics } from './metrics/service-metrics';

describe('metrics', () => {
  it('exposes the default metrics, event-loop lag included, under the collab_ prefix', async () => {
    const registry = createMetricsRegistry();
    const text = await registry.metrics();
    expect(text).toContain('collab_nodejs_eventloop_lag_seconds ');
    expect(text).toContain('collab_process_cpu_user_seconds_total ');
  });

  it('counts operations and refusals by a bounded code label', async () => {
    const registry = createMetricsRegistry();
    const ops = new OperationMetrics(registry);
    ops.received.inc(2);
    ops.answered(0.004);
    ops.answered(0, 'FORBIDDEN');
    ops.answered(0, 'not a code {"x":1}');
    const text = await registry.metrics();
    expect(text).toContain(`${MetricName.OpsReceived} 2`);
    expect(text).toContain(`${MetricName.OpsCommitted} 1`);
    expect(text).toContain(`${MetricName.OpsRefused}{code="FORBIDDEN"} 1`);
    expect(text).toContain(`${MetricName.OpsRefused}{code="OTHER"} 1`);
    expect(text).toContain(`${MetricName.OpAckSeconds}_count 1`);
    expect(text).toContain(`${MetricName.OpAckSeconds}_bucket{le="0.005"} 1`);
    expect(codeLabel(undefined)).toBe('OTHER');
  });

  it('reads queue depth when scraped and keeps answering when the queue cannot be read', async () => {
    const registry = createMetricsRegistry();
    const errors: unknown[] = [];
    let fail = false;
    new QueueMetrics(
      registry,
      [
        {
          name: 'snapshots',
          getJobCounts: () =>
            fail
              ? Promise.reject(new Error('redis away'))
              : Promise.resolve({ waiting: 3, active: 1, delayed: 0, failed: 2 }),
        },
      ],
      (error) => errors.push(error),
    );
    expect(await registry.metrics()).toContain(
      `${MetricName.QueueJobs}{queue="snapshots",state="waiting"} 3`,
    );
    fail = true;
    expect(await registry.metrics()).toContain(`${MetricName.QueueJobs}{queue="snapshots",state="failed"} 2`);
    expect(errors).toHaveLength(1);
  });
});

describe('ProbesController', () => {
  let app: INestApplicationContext;
  let members = 0;
  let redisDown = false;
  const changes: Array<[boolean, readonly string[]]> = [];

  beforeAll(async () => {
    app = await NestFactory.createApplicationContext(
      ObservabilityModule.forRootAsync({
        useFactory: () => ({
          registry: createMetricsRegistry(),
          liveness: () => ({ service: 'test' }),
          readiness: [
            ringCheck(() => members),
            {
              name: 'redis',
              check: () => (redisDown ? Promise.reject(new Error('connect ECONNREFUSED')) : 'PONG'),
            },
            { name: 'slow', check: () => new Promise((resolve) => setTimeout(resolve, 5)) },
          ],
          readinessTimeoutMs: 200,
          onReadinessChange: (ready, failing) => changes.push([ready, failing]),
        }),
      }),
      { logger: false },
    );
  });

  afterAll(async () => {
    await app.close();
  });

  async function readyz(): Promise<{ status: number; body: Record<string, unknown> }> {
    let status = 0;
    const body = await app.get(ProbesController).readyz({ status: (code: number) => (status = code) });
    return { status, body: body as unknown as Record<string, unknown> };
  }

  it('answers liveness without checking dependencies', () => {
    redisDown = true;
    expect(app.get(ProbesController).healthz()).toEqual({ ok: true, service: 'test' });
  });

  it('answers 503 naming each failing part, 200 when all are up, and reports changes once', async () => {
    redisDown = true;
    members = 0;
    const down = await readyz();
    expect(down.status).toBe(503);
    expect(down.body).toMatchObject({
      status: 'error',
      error: { ring: { status: 'down', message: 'no doc-service on the ring' }, redis: { status: 'down' } },
      info: { slow: { status: 'up' } },
    });
    await readyz();
    redisDown = false;
    members = 2;
    const up = await readyz();
    expect(up.status).toBe(200);
    expect(up.body).toMatchObject({ status: 'ok', error: {} });
    expect(changes).toEqual([
      [false, ['ring', 'redis']],
      [true, []],
    ]);
  });

  it('counts a check that never answers as down', async () => {
    members = 1;
    const controller = app.get(ProbesController);
    const hung = { name: 'database', check: () => new Promise(() => undefined) };
    (controller as unknown as { options: { readiness: unknown[] } }).options.readiness.push(hung);
    const result = await readyz();
    expect(result.status).toBe(503);
    expect(result.body).toMatchObject({ error: { database: { message: 'no answer within 200 ms' } } });
  });
});

describe('createLogger', () => {
  it('writes JSON lines with the base fields, level names and redacted secrets', () => {
    const lines: string[] = [];
    const destination = new Writable({
      write(chunk: Buffer, _encoding, done) {
        lines.push(...chunk.toString('utf8').trim().split('\n'));
        done();
      },
    });
    const log = createLogger({ service: 'gateway', instance: 'gw-1', level: 'debug', destination });
    log.child({ correlationId: 'c-1' }).debug({ token: 'secret', docId: 'd' }, 'op received');
    const line = JSON.parse(lines[0]) as Record<string, unknown>;
    expect(line).toMatchObject({
      level: 'debug',
      service: 'gateway',
      instance: 'gw-1',
      correlationId: 'c-1',
      token: '[redacted]',
      msg: 'op received',
    });
    expect(typeof line['time']).toBe('string');
  });
});

describe('ProbesController with a metrics token', () => {
  let app: INestApplicationContext;
  const token = 'scrape-token-0123456789';

  beforeAll(async () => {
    app = await NestFactory.createApplicationContext(
      ObservabilityModule.forRootAsync({
        useFactory: () => ({ registry: createMetricsRegistry(), readiness: [], metricsToken: token }),
      }),
      { logger: false },
    );
  });

  afterAll(async () => {
    await app.close();
  });

  const scrape = (authorization?: string) =>
    app.get(ProbesController).metrics({ type: () => undefined }, authorization);

  it('renders the metrics only for the bearer of the token', async () => {
    expect(await scrape(`Bearer ${token}`)).toContain('collab_');
    for (const wrong of [
      undefined,
      '',
      token,
      `Bearer ${token}x`,
      `Bearer ${token.slice(1)}`,
      `Basic ${token}`,
    ]) {
      await expect(scrape(wrong)).rejects.toMatchObject({ status: 401 });
    }
  });

  it('leaves the probes open', () => {
    expect(app.get(ProbesController).healthz()).toEqual({ ok: true });
  });
});
