import { startPrivateRedis, type PrivateRedis, until } from '@collab/testing';
import { GatewayHarness, type RunningGateway } from '../harness';
import { AckRecorder, expectConvergedExactlyOnce, openTypists } from './chaos-kit';

/**
 * Issue 7: Redis restarted under load. A private redis-server without
 * persistence (never the shared one), so the restart loses every key:
 * membership, inboxes, the Socket.IO adapter's channels and routing recover by
 * themselves, and clients catch up from PostgreSQL by version.
 */
jest.setTimeout(240_000);

const SEED = Number(process.env['CHAOS_SEED'] ?? Date.now() % 1_000_000);

let redis: PrivateRedis;
let h: GatewayHarness;
let gateways: RunningGateway[];

beforeAll(async () => {
  console.log(`redis-restart chaos seed ${SEED} (CHAOS_SEED=${SEED} replays it)`);
  redis = await startPrivateRedis();
  h = await GatewayHarness.create('chaos_redis', {
    infra: { url: redis.url, prefix: 'chaos_redis:', cleanup: () => redis.destroy() },
  });
  await h.startDocService();
  await h.startDocService();
  gateways = [await h.startGateway(), await h.startGateway()];
  await h.settle();
});

afterAll(async () => {
  if (h) await h.close();
  else await redis?.destroy();
});

it('recovers membership, routing and broadcasts after Redis loses everything, and clients converge', async () => {
  const user = await h.createUser();
  const docId = await h.createDocument(user);
  const typists = await openTypists(h, gateways, docId, user, 4, SEED);
  const recorder = new AckRecorder(await h.connect(gateways[0], user), docId, 'r0');
  expect(await recorder.join()).toMatchObject({ ok: true });
  for (const t of typists) t.start(40);
  recorder.start(20);
  await until(async () => (await h.headVersion(docId)) >= 30, {
    what: 'some history before the restart',
    timeoutMs: 30_000,
  });

  await redis.restart();
  expect(await h.redis.dbsize()).toBeLessThanOrEqual(5);
  const restartedHead = await h.headVersion(docId);
  // Both doc-services heartbeat again into the empty server and every gateway routes over them.
  await h.settle();
  await until(async () => (await h.headVersion(docId)) >= restartedHead + 30, {
    what: 'editing resumes by itself',
    timeoutMs: 60_000,
  });
  await recorder.stop();
  await expectConvergedExactlyOnce(h, docId, typists, recorder.acked);
  for (const t of typists) t.close();
});
