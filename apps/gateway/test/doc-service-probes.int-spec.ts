import { freePort, metricSample, type PrivateRedis, startPrivateRedis, until } from '@collab/testing';
import { GatewayHarness, request, type RunningGateway } from './harness';

jest.setTimeout(90_000);

let redis: PrivateRedis;
let h: GatewayHarness;
let gateway: RunningGateway;
let probes: string;

beforeAll(async () => {
  // A private Redis: this test stops it.
  redis = await startPrivateRedis();
  h = await GatewayHarness.create('ds_probes', {
    infra: { url: redis.url, prefix: 'ds_probes:', cleanup: () => redis.destroy() },
  });
  const port = await freePort();
  await h.startDocService({ HTTP_PORT: String(port) });
  probes = `http://127.0.0.1:${port}`;
  gateway = await h.startGateway();
  await h.settle();
});

afterAll(async () => {
  if (h) await h.close();
  else await redis?.destroy();
});

describe('doc-service probes and metrics', () => {
  it('counts committed operations, group commits, open actors and members', async () => {
    const user = await h.createUser();
    const docId = await h.createDocument(user);
    const socket = await h.connect(gateway, user);
    expect(await request(socket, 'join', { docId })).toMatchObject({ ok: true });
    for (let seq = 1; seq <= 3; seq++) {
      const ack = await request(socket, 'op', {
        docId,
        clientId: 'probe',
        seq,
        baseVersion: seq - 1,
        delta: [{ insert: `${seq}` }],
      });
      expect(ack).toMatchObject({ ok: true, version: seq });
    }
    const text = await (await fetch(`${probes}/metrics`)).text();
    expect(metricSample(text, 'collab_ops_committed_total')).toBe(3);
    expect(metricSample(text, 'collab_group_commit_batch_size_count')).toBeGreaterThanOrEqual(1);
    expect(metricSample(text, 'collab_commit_statement_documents_count')).toBeGreaterThanOrEqual(1);
    expect(metricSample(text, 'collab_commit_statement_seconds_count')).toBe(
      metricSample(text, 'collab_commit_statement_documents_count'),
    );
    expect(metricSample(text, 'collab_open_actors')).toBe(1);
    expect(metricSample(text, 'collab_membership_members')).toBe(1);
    expect(metricSample(text, 'collab_actor_load_seconds_count')).toBe(1);
    expect(text).not.toContain(docId);
  });

  it('is ready with its dependencies up, and answers 503 naming Redis once Redis is gone', async () => {
    const ready = await fetch(`${probes}/readyz`);
    expect(ready.status).toBe(200);
    await redis.kill();
    await until(async () => (await fetch(`${probes}/readyz`)).status === 503, {
      what: '/readyz to answer 503 without Redis',
      timeoutMs: 15_000,
    });
    const body = JSON.stringify(await (await fetch(`${probes}/readyz`)).json());
    expect(body).toContain('redis');
    // Liveness does not depend on Redis: the process is alive and answers.
    expect((await fetch(`${probes}/healthz`)).status).toBe(200);
  });
});
