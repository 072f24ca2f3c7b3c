import { until } from '@collab/testing';
import type { EditRefusal } from '@collab/client';
import type { WireError } from '@collab/contracts';
import { GatewayHarness, type RunningGateway } from '../harness';
import { expectConvergedExactlyOnce, openTypists, type Typist } from './chaos-kit';
import { SwitchingProxy } from './switching-proxy';

/**
 * Issue 15, "a spurious error after a failover": the owner is frozen past its
 * membership TTL while the clients' connections move to another gateway (a
 * load balancer that lost the first one). Every client re-joins through a
 * gateway that has never seen it, with edits in flight and buffered; an
 * operation must never reach that gateway before its join, and nothing the
 * SDK could retry may reach the app as an error: nothing was lost.
 */
jest.setTimeout(180_000);

const SEED = Number(process.env['CHAOS_SEED'] ?? Date.now() % 1_000_000);

let h: GatewayHarness;
let gateways: RunningGateway[];
let proxy: SwitchingProxy;

beforeAll(async () => {
  console.log(`failover-rejoin chaos seed ${SEED} (CHAOS_SEED=${SEED} replays it)`);
  h = await GatewayHarness.create('chaos_rejoin');
  for (let i = 0; i < 3; i++) await h.startDocService();
  gateways = [await h.startGateway(), await h.startGateway()];
  proxy = await SwitchingProxy.start(gateways[0].url);
  await h.settle();
});

afterAll(async () => {
  await h?.close();
  await proxy?.close();
});

/** What each typist's app heard: errors and refused edits. */
function listen(typists: Typist[]): string[] {
  const heard: string[] = [];
  for (const t of typists) {
    t.doc.on('error', (error: WireError) => heard.push(`${t.tag} error ${error.code}`));
    t.doc.on('refused', (refusal: EditRefusal) => heard.push(`${t.tag} refused ${refusal.error.code}`));
  }
  return heard;
}

it('a frozen owner and a gateway change: every client re-joins elsewhere, the app hears no error, nothing is lost', async () => {
  const user = await h.createUser();
  const docId = await h.createDocument(user);
  const typists = await openTypists(h, [{ url: proxy.url }], docId, user, 6, SEED);
  const heard = listen(typists);
  for (const t of typists) t.start(150);
  await until(async () => (await h.headVersion(docId)) >= 20, {
    what: 'some history first',
    timeoutMs: 30_000,
  });
  // Quiet, everything saved: nothing in flight, so the first edit typed after
  // the move is sent at once, while the new connection's join still waits on
  // the frozen owner.
  for (const t of typists) t.stop();
  await Promise.all(typists.map((t) => t.doc.whenSynced(30_000)));

  const frozen = h.docServices.find((d) => d.instanceId === h.ownerOf(docId))!;
  frozen.child.kill('SIGSTOP');
  try {
    // Their connections move to the other gateway while the owner is frozen.
    proxy.switchTo(gateways[1].url);
    await until(() => typists.every((t) => t.doc.status !== 'connected'), {
      what: 'every client reconnecting',
      timeoutMs: 10_000,
    });
    for (const t of typists) t.start(150);
    const atFreeze = await h.headVersion(docId);
    await until(async () => (await h.headVersion(docId)) > atFreeze + 10, {
      what: 'commits again, on another owner',
      timeoutMs: 60_000,
    });
  } finally {
    frozen.child.kill('SIGCONT');
  }
  await h.settle();
  // And back, once the old owner has resumed and maybe taken the document back.
  proxy.switchTo(gateways[0].url);
  const resumed = await h.headVersion(docId);
  await until(async () => (await h.headVersion(docId)) >= resumed + 10, {
    what: 'typing goes on after both moves',
    timeoutMs: 60_000,
  });

  await expectConvergedExactlyOnce(h, docId, typists);
  expect(heard).toEqual([]);
  for (const t of typists) t.close();
});
