import { type PrivateRedis, startPrivateRedis } from '@collab/testing';
import { GatewayHarness, request, type RunningGateway } from './harness';

jest.setTimeout(90_000);

let redis: PrivateRedis;
let h: GatewayHarness;
let gateway: RunningGateway;
beforeAll(async () => {
  // A private Redis: this test stops it.
  redis = await startPrivateRedis();
  h = await GatewayHarness.create('gw_outage_bcast', {
    infra: { url: redis.url, prefix: 'gw_outage_bcast:', cleanup: () => redis.destroy() },
  });
  await h.startDocService();
  gateway = await h.startGateway();
  await h.settle();
});

afterAll(async () => {
  if (h) await h.close();
  else await redis?.destroy();
});

it('broadcasts to a room while Redis stays gone leave no unhandled rejection (which would end the process)', async () => {
  const user = await h.createUser();
  const docId = await h.createDocument(user);
  const staying = await h.connect(gateway, user);
  const leaving = await h.connect(gateway, user);
  for (const socket of [staying, leaving])
    expect(await request(socket, 'join', { docId })).toMatchObject({ ok: true });

  await redis.kill();
  // A leave is a broadcast to the document's room: the redis adapter publishes it and drops the promise.
  // The publish waits in the offline queue until ioredis gives up on it: after 20 reconnection
  // attempts (its default maxRetriesPerRequest), about 10.5 s by its default backoff.
  leaving.disconnect();
  // Node ends a process on an unhandled rejection; jest fails this file on one (as it did before the
  // adapter's publishes were settled: MaxRetriesPerRequestError).
  await new Promise((resolve) => setTimeout(resolve, 15_000));
  expect((await fetch(`${gateway.url}/healthz`)).status).toBe(200);
});
