import { until } from '@collab/testing';
import { HashRing } from '@collab/cluster';
import { GatewayHarness, request, type RunningGateway } from '../harness';
import { expectConvergedExactlyOnce, openTypists } from './chaos-kit';

/**
 * Issue 7: scaling doc-service up and down. Only the documents whose owner
 * changed on the ring move (about 1/N), the leaving instance hands over on
 * SIGTERM (stops taking operations, flushes its group commit, leaves the
 * membership) and the new owner loads from PostgreSQL.
 */
jest.setTimeout(240_000);

const SEED = Number(process.env['CHAOS_SEED'] ?? Date.now() % 1_000_000);
const DOCS = 150;

let h: GatewayHarness;
let gateways: RunningGateway[];

beforeAll(async () => {
  console.log(`scaling chaos seed ${SEED} (CHAOS_SEED=${SEED} replays it)`);
  h = await GatewayHarness.create('chaos_scale');
  await h.startDocService();
  await h.startDocService();
  // Opening many documents from one socket is a setup step here, not abuse.
  const limits = {
    OPS_PER_SECOND_PER_SOCKET: '10000',
    OPS_PER_SECOND_PER_USER: '10000',
    EVENTS_PER_SECOND_PER_SOCKET: '100000',
  };
  gateways = [await h.startGateway(limits), await h.startGateway(limits)];
  await h.settle();
});

afterAll(async () => {
  await h?.close();
});

it('moves about 1/N of the documents when an instance joins, and hands over cleanly when it leaves', async () => {
  const user = await h.createUser();
  const docIds: string[] = [];
  for (let i = 0; i < DOCS; i++) docIds.push(await h.createDocument(user));
  const socket = await h.connect(gateways[0], user);
  const edit = async (docId: string, seq: number, baseVersion: number) => {
    expect(await request(socket, 'join', { docId })).toMatchObject({ ok: true });
    expect(
      await request(socket, 'op', {
        docId,
        clientId: 'scale',
        seq,
        baseVersion,
        delta: [{ insert: `{s.${seq}}` }],
      }),
    ).toEqual({ ok: true, version: baseVersion + 1 });
  };
  // Every document open on its owner.
  for (const docId of docIds) await edit(docId, 1, 0);
  const before = new Map(docIds.map((d) => [d, h.ownerOf(d)]));

  const joining = await h.startDocService();
  await h.settle();
  const moved = docIds.filter((d) => h.ownerOf(d) !== before.get(d));
  // Rendezvous hashing: a moved document moves to the new instance, never between old ones.
  for (const d of moved) expect(h.ownerOf(d)).toBe(joining.instanceId);
  const fraction = moved.length / DOCS;
  console.log(
    `documents moved when a third instance joined: ${moved.length}/${DOCS} (${fraction.toFixed(2)})`,
  );
  expect(fraction).toBeGreaterThan(0.2);
  expect(fraction).toBeLessThan(0.47);
  expect(new HashRing(h.docServices.map((d) => d.instanceId)).members).toHaveLength(3);
  // The new owner loads the moved documents from PostgreSQL: version 2 follows version 1.
  for (const docId of docIds) await edit(docId, 2, 1);

  // Scale down while clients type on a document the leaving instance owns.
  const busy = moved[0];
  const typists = await openTypists(h, gateways, busy, user, 3, SEED);
  for (const t of typists) t.start(30);
  const headBefore = (await h.storedOps(busy)).length;
  await until(async () => (await h.storedOps(busy)).length >= headBefore + 20, {
    what: 'typing on the leaving instance',
    timeoutMs: 30_000,
  });
  await h.stopDocService(joining);
  await h.settle();
  const afterStop = (await h.storedOps(busy)).length;
  await until(async () => (await h.storedOps(busy)).length >= afterStop + 20, {
    what: 'typing continues on the old owner',
    timeoutMs: 30_000,
  });
  // Back to the owners they had before the instance joined.
  for (const d of docIds) expect(h.ownerOf(d)).toBe(before.get(d));
  await expectConvergedExactlyOnce(h, busy, typists);
  for (const t of typists) t.close();
});
