import { PresenceEntry, type PresenceState } from '@collab/contracts';
import { until } from '@collab/testing';
import type { Socket as ClientSocket } from 'socket.io-client';
import { GatewayHarness, request, type RunningGateway, sleep } from './harness';

jest.setTimeout(120_000);

/**
 * A gateway that crashes sends no leave for its sockets, and a document's
 * presence hash is refreshed by every caret move on it: before gateway runs
 * had liveness keys, the carets of a crashed gateway's sessions were shown
 * to every joiner for as long as anyone kept moving. Now each entry names
 * the gateway run holding its session, and a join drops (and removes) the
 * entries of runs whose key is gone. Short TTLs keep the tests quick: the
 * crashing gateway's, and twice that for the live ones (in this process, so
 * a stall of the test process must not pass for their death).
 */
const TTL_MS = 1500;
const LIVENESS = { GATEWAY_LIVENESS_TTL_MS: String(TTL_MS) };
const LIVE_TTL_MS = 2 * TTL_MS;

let h: GatewayHarness;
let live: RunningGateway[];

beforeAll(async () => {
  h = await GatewayHarness.create('gw_presence_liveness');
  await h.startDocService();
  const liveness = { GATEWAY_LIVENESS_TTL_MS: String(LIVE_TTL_MS) };
  live = [await h.startGateway(liveness), await h.startGateway(liveness)];
  await h.settle();
});

afterAll(async () => {
  await h?.close();
});

interface JoinAck {
  presence: PresenceState[];
}

/** The document's presence hash as stored: session id -> entry. */
async function stored(docId: string): Promise<Record<string, PresenceEntry>> {
  const raw = await h.redis.hgetall(h.keys.presence(docId));
  return Object.fromEntries(
    Object.entries(raw).map(([sessionId, text]) => [sessionId, PresenceEntry.parse(JSON.parse(text))]),
  );
}

/** The liveness key of the gateway run holding `sessionId` on `docId`. */
async function runKeyOf(docId: string, sessionId: string): Promise<string> {
  const entry = (await stored(docId))[sessionId];
  if (!entry) throw new Error(`no presence entry for ${sessionId}`);
  return h.keys.gatewayRun(entry.gateway.gatewayId, entry.gateway.runId);
}

async function exists(key: string): Promise<boolean> {
  return (await h.redis.exists(key)) === 1;
}

/** Moves `socket`'s caret on `docId` to `at`; resolves once the hash holds that caret. */
async function moveCaret(socket: ClientSocket, docId: string, at: number): Promise<void> {
  await request(socket, 'presence', { docId, version: 0, selection: { anchor: at, head: at } });
  await until(async () => (await stored(docId))[socket.id!]?.state.selection?.head === at, {
    what: `the caret of ${socket.id} at ${at} in the hash`,
  });
}

/** A document of Ada's with `others` as editors. */
async function document(others: string[]): Promise<{ ada: string; docId: string }> {
  const ada = await h.createUser('Ada');
  const docId = await h.createDocument(ada);
  for (const userId of others) await h.addMember(docId, userId, 'editor');
  return { ada, docId };
}

describe('carets of gateway runs', () => {
  it('drops a crashed gateway’s carets for joiners and removes them, while the document stays busy and its GATEWAY_ID comes back', async () => {
    const bob = await h.createUser('Bob');
    const carol = await h.createUser('Carol');
    const { ada, docId } = await document([bob, carol]);
    const doomed = await h.startGatewayProcess({ ...LIVENESS, GATEWAY_ID: 'gw-doomed' });
    await h.settle();

    const bobs = await h.connect(live[0], bob);
    await request(bobs, 'join', { docId });
    const left: { sessionId: string }[] = [];
    bobs.on('presence:leave', (l: { sessionId: string }) => left.push(l));
    const adas = await h.connect(doomed, ada);
    // The client forgets its id once disconnected.
    const ghost = adas.id!;
    await request(adas, 'join', { docId });
    await moveCaret(adas, docId, 0);
    await moveCaret(bobs, docId, 0);
    const doomedRun = await runKeyOf(docId, ghost);
    expect(doomedRun).toContain('gw-doomed');
    expect(await exists(doomedRun)).toBe(true);

    await h.stopGatewayProcess(doomed, 'SIGKILL');
    // Back under the same GATEWAY_ID, as a container restarted in its pod:
    // a new run, which must not pass for the one that crashed.
    const restarted = await h.startGatewayProcess({ ...LIVENESS, GATEWAY_ID: 'gw-doomed' });
    await h.settle();
    // Bob keeps moving meanwhile, so the hash itself never expires.
    let at = 1;
    await until(
      async () => {
        await moveCaret(bobs, docId, at++);
        return !(await exists(doomedRun));
      },
      { what: 'the crashed run’s key to expire', timeoutMs: 20_000 },
    );
    // Nothing but a join removes it: the ghost is still stored.
    expect(Object.keys(await stored(docId)).sort()).toEqual([ghost, bobs.id].sort());

    const carols = await h.connect(restarted, carol);
    const joined = await request<JoinAck>(carols, 'join', { docId });
    expect(joined.presence.map((p) => p.sessionId)).toEqual([bobs.id]);
    await until(async () => !(ghost in (await stored(docId))), {
      what: 'the ghost removed from the hash',
    });
    expect(Object.keys(await stored(docId))).toEqual([bobs.id]);
    // Bob had been shown Ada's caret: he is told it left.
    await until(async () => left.some((l) => l.sessionId === ghost), {
      what: 'presence:leave of the ghost',
    });
    expect(left.map((l) => l.sessionId)).toEqual([ghost]);
  });

  it('keeps the carets of live gateways past their TTL, on every gateway', async () => {
    const bob = await h.createUser('Bob');
    const carol = await h.createUser('Carol');
    const { ada, docId } = await document([bob, carol]);
    const adas = await h.connect(live[0], ada);
    const bobs = await h.connect(live[1], bob);
    for (const socket of [adas, bobs]) {
      await request(socket, 'join', { docId });
      await moveCaret(socket, docId, 0);
    }
    // Longer than a TTL without any move: only the gateways' refreshes keep their runs alive.
    await sleep(1.5 * LIVE_TTL_MS);
    for (const gateway of live) {
      const carols = await h.connect(gateway, carol);
      const joined = await request<JoinAck>(carols, 'join', { docId });
      expect(joined.presence.map((p) => p.sessionId).sort()).toEqual([adas.id, bobs.id].sort());
      carols.disconnect();
    }
    expect(Object.keys(await stored(docId)).sort()).toEqual([adas.id, bobs.id].sort());
  });

  it('removes its run key when a gateway stops cleanly, so its carets go at once', async () => {
    const bob = await h.createUser('Bob');
    const { ada, docId } = await document([bob]);
    // A TTL no test waits out: the key can only go by being deleted.
    const leaving = await h.startGatewayProcess({ GATEWAY_LIVENESS_TTL_MS: '600000' });
    await h.settle();
    const adas = await h.connect(leaving, ada);
    await request(adas, 'join', { docId });
    await moveCaret(adas, docId, 0);
    const run = await runKeyOf(docId, adas.id!);
    expect(await exists(run)).toBe(true);

    await h.stopGatewayProcess(leaving, 'SIGTERM');
    expect(await exists(run)).toBe(false);
    const bobs = await h.connect(live[0], bob);
    const joined = await request<JoinAck>(bobs, 'join', { docId });
    expect(joined.presence).toEqual([]);
  });
});
