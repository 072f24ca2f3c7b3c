import type { SessionClosed, WireError } from '@collab/contracts';
import { until } from '@collab/testing';
import { closeSession as closeSocket, ScriptedGateway } from '../../test/scripted-gateway';
import { SocketIoTransport } from './socket-io-transport';
import type { DisconnectCause } from './transport';

/**
 * SocketIoTransport against a real Socket.IO server that plays the gateway's
 * part (ScriptedGateway): it says `session:closed` and closes sockets, and refuses handshakes
 * (as the abuse cool-down does), as each test says. Against the real
 * gateway, see apps/gateway/test/session-close-sdk.int-spec.ts.
 */
let gateway: ScriptedGateway;

beforeAll(async () => {
  gateway = await ScriptedGateway.start();
});
afterAll(() => gateway.close());

const transports: SocketIoTransport[] = [];
afterEach(async () => {
  for (const transport of transports.splice(0)) transport.disconnect();
  await until(() => gateway.sockets.length === 0, { what: 'every socket gone' });
  gateway.reset();
  jest.restoreAllMocks();
});

interface Seen {
  connects: number;
  disconnects: { cause: DisconnectCause; closed?: SessionClosed }[];
  refusals: (WireError | undefined)[];
}

/** A transport whose n-th token is `t<n>`, with what it emits recorded. */
function transport(options: { retryDelayMs?: number; steadyAfterMs?: number } = {}) {
  let issued = 0;
  const t = new SocketIoTransport({
    url: gateway.url,
    token: () => `t${++issued}`,
    retryDelayMs: 20,
    ...options,
  });
  transports.push(t);
  const seen: Seen = { connects: 0, disconnects: [], refusals: [] };
  t.on('connect', () => seen.connects++);
  t.on('disconnect', (cause, closed) => seen.disconnects.push(closed ? { cause, closed } : { cause }));
  t.on('connectError', (error) => seen.refusals.push(error));
  return { t, seen };
}

async function connected(seen: Seen, count: number): Promise<void> {
  await until(() => seen.connects === count && gateway.sockets.length === 1, { what: `connection ${count}` });
}

/** What the gateway does (SocketGuard.close, SlowConsumerReaper): say why, then close. */
function closeSession(reason: SessionClosed['reason']): void {
  closeSocket(gateway.sockets[0], reason);
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

it.each(['SLOW_CONSUMER', 'RATE_LIMITED', 'SERVER_SHUTDOWN'] as const)(
  'reconnects after a server close for %s, which Socket.IO does not do on its own',
  async (reason) => {
    const { t, seen } = transport();
    t.connect();
    await connected(seen, 1);
    closeSession(reason);
    await connected(seen, 2);
    expect(seen.disconnects).toEqual([{ cause: 'network', closed: expect.objectContaining({ reason }) }]);
    expect(gateway.handshakes.map((h) => h.token)).toEqual(['t1', 't2']);
  },
);

it('reconnects after a server close with no session:closed before it, and ignores a reason it does not know', async () => {
  const { t, seen } = transport();
  t.connect();
  await connected(seen, 1);
  gateway.sockets[0].disconnect(true);
  await connected(seen, 2);
  gateway.sockets[0].emit('session:closed', { reason: 'GONE_FISHING', message: 'not in the contract' });
  gateway.sockets[0].disconnect(true);
  await connected(seen, 3);
  expect(seen.disconnects).toEqual([{ cause: 'network' }, { cause: 'network' }]);
});

it('tells each handshake after the first the session it had before (previousSessionId), none the first', async () => {
  const { t, seen } = transport();
  t.connect();
  await connected(seen, 1);
  const first = t.connectionId;
  gateway.sockets[0].disconnect(true);
  await connected(seen, 2);
  const second = t.connectionId;
  gateway.sockets[0].disconnect(true);
  await connected(seen, 3);
  expect(first).toBeDefined();
  expect(second).not.toBe(first);
  expect(gateway.handshakes.map((h) => h.previousSessionId)).toEqual([undefined, first, second]);
  expect('previousSessionId' in gateway.handshakes[0]).toBe(false);
});

it('a close for an expired token reconnects at once with a fresh token', async () => {
  const { t, seen } = transport({ retryDelayMs: 5_000 });
  t.connect();
  await connected(seen, 1);
  closeSession('TOKEN_EXPIRED');
  await connected(seen, 2);
  expect(gateway.handshakes.map((h) => h.token)).toEqual(['t1', 't2']);
});

it.each(['SIGNED_OUT', 'TOO_MANY_SOCKETS', 'PROTOCOL_MISMATCH'] as const)(
  'stays down after a server close for %s, and says why',
  async (reason) => {
    const { t, seen } = transport();
    t.connect();
    await connected(seen, 1);
    closeSession(reason);
    await until(() => seen.disconnects.length === 1, { what: 'the disconnect' });
    expect(seen.disconnects).toEqual([{ cause: 'server', closed: expect.objectContaining({ reason }) }]);
    await sleep(300);
    expect(gateway.handshakes).toHaveLength(1);
    expect(t.connected).toBe(false);
    // connect() is the way back.
    t.connect();
    await connected(seen, 2);
  },
);

it('waits out the cool-down a refused handshake asks for, however short its own back-off', async () => {
  const { t, seen } = transport({ retryDelayMs: 10 });
  t.connect();
  await connected(seen, 1);
  gateway.refusals.push({ code: 'RATE_LIMITED', message: 'cool down', details: { retryAfterMs: 250 } });
  closeSession('RATE_LIMITED');
  await connected(seen, 2);
  // gateway.handshakes: the first, the refused one, the one after the cool-down.
  expect(gateway.handshakes).toHaveLength(3);
  expect(gateway.handshakes[2].at - gateway.handshakes[1].at).toBeGreaterThanOrEqual(250);
  expect(seen.refusals).toEqual([expect.objectContaining({ code: 'RATE_LIMITED' })]);
});

it('stays down after a handshake refused for a reason retrying cannot fix', async () => {
  const { t, seen } = transport();
  gateway.refusals.push({ code: 'UNAUTHENTICATED', message: 'who are you' });
  t.connect();
  await until(() => seen.refusals.length === 1, { what: 'the refusal' });
  await sleep(300);
  expect(gateway.handshakes).toHaveLength(1);
  expect(seen.connects).toBe(0);
});

it('grows its back-off with each close in a row, and starts afresh after a connection that stayed up', async () => {
  // Every jittered wait at its ceiling: 49, 99, 199 ms for a first ceiling of 50 ms.
  jest.spyOn(Math, 'random').mockReturnValue(0.999);
  const { t, seen } = transport({ retryDelayMs: 50, steadyAfterMs: 1_000 });
  t.connect();
  await connected(seen, 1);
  const waits: number[] = [];
  for (let n = 2; n <= 4; n++) {
    const closedAt = Date.now();
    closeSession('SLOW_CONSUMER');
    await connected(seen, n);
    waits.push(gateway.handshakes[n - 1].at - closedAt);
  }
  expect(waits[0]).toBeGreaterThanOrEqual(49);
  expect(waits[1]).toBeGreaterThanOrEqual(99);
  expect(waits[2]).toBeGreaterThanOrEqual(199);

  await sleep(1_100);
  const closedAt = Date.now();
  closeSession('SLOW_CONSUMER');
  await connected(seen, 5);
  // Back at the first ceiling (the fourth close in a row would wait 399 ms).
  expect(gateway.handshakes[4].at - closedAt).toBeLessThan(300);
});

it('disconnect() cancels a planned reconnect, and connect() does not wait for one', async () => {
  jest.spyOn(Math, 'random').mockReturnValue(0.999);
  const { t, seen } = transport({ retryDelayMs: 150 });
  t.connect();
  await connected(seen, 1);
  closeSession('SERVER_SHUTDOWN');
  await until(() => seen.disconnects.length === 1, { what: 'the disconnect' });
  t.disconnect();
  await sleep(400);
  expect(gateway.handshakes).toHaveLength(1);

  t.connect();
  await connected(seen, 2);
  closeSession('SERVER_SHUTDOWN'); // the second in a row: a wait of 299 ms is planned
  await until(() => seen.disconnects.length === 2, { what: 'the second disconnect' });
  const askedAt = Date.now();
  t.connect();
  await connected(seen, 3);
  expect(gateway.handshakes[2].at - askedAt).toBeLessThan(250);
  await sleep(400);
  // The planned reconnect was dropped, not run on top of the connection.
  expect(gateway.handshakes).toHaveLength(3);
});
