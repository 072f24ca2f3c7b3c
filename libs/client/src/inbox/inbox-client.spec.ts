import { randomUUID } from 'node:crypto';
import type { NotificationEvent } from '@collab/contracts';
import { until } from '@collab/testing';
import { closeSession, ScriptedGateway } from '../../test/scripted-gateway';
import { InboxClient, type InboxEvents } from './inbox-client';

/**
 * InboxClient against a real Socket.IO server (ScriptedGateway) that plays the gateway's part
 * for the user's room: it sends `notification`, says `session:closed` and
 * closes sockets, and refuses handshakes, as the test says. Against the real
 * gateway, see apps/gateway/test/inbox-sdk.int-spec.ts.
 */
let gateway: ScriptedGateway;

beforeAll(async () => {
  gateway = await ScriptedGateway.start();
});
afterAll(() => gateway.close());

const clients: InboxClient[] = [];
afterEach(() => {
  for (const client of clients.splice(0)) client.close();
  gateway.reset();
});

/** An inbox whose n-th token is `t<n>`, with every event it emits recorded. */
function inbox(): { client: InboxClient; seen: { [K in keyof InboxEvents]: InboxEvents[K][0][] } } {
  let issued = 0;
  const client = new InboxClient({ url: gateway.url, token: () => `t${++issued}`, retryDelayMs: 20 });
  clients.push(client);
  const seen = { notification: [], connected: [], status: [], stopped: [] } as {
    [K in keyof InboxEvents]: InboxEvents[K][0][];
  };
  client.on('notification', (event) => seen.notification.push(event));
  client.on('connected', () => seen.connected.push(undefined as never));
  client.on('status', (status) => seen.status.push(status));
  client.on('stopped', (why) => seen.stopped.push(why));
  return { client, seen };
}

function notification(unreadCount: number): NotificationEvent {
  return {
    unreadCount,
    notification: {
      id: randomUUID(),
      kind: 'mention',
      docId: randomUUID(),
      documentTitle: 'Plan',
      threadId: randomUUID(),
      commentId: randomUUID(),
      actor: { userId: randomUUID(), name: 'Bob', color: '#336699' },
      excerpt: 'Yes, @Ada',
      createdAt: new Date().toISOString(),
      readAt: null,
    },
  };
}

it('emits valid notifications only, and says when it is connected', async () => {
  const { client, seen } = inbox();
  client.open();
  await until(() => seen.connected.length === 1, { what: 'connected' });
  expect(client.status).toBe('connected');
  const valid = notification(3);
  gateway.sockets[0].emit('notification', { unreadCount: -1, notification: valid.notification });
  gateway.sockets[0].emit('notification', { ...valid, notification: { ...valid.notification, id: 'nope' } });
  gateway.sockets[0].emit('notification', valid);
  await until(() => seen.notification.length === 1, { what: 'the valid notification' });
  expect(seen.notification).toEqual([valid]);
});

it('after a server-side close without a reason, reconnects and says so again (the owner re-reads then)', async () => {
  const { seen } = inbox();
  clients[0].open();
  await until(() => seen.connected.length === 1, { what: 'connected' });
  gateway.sockets[0].disconnect(true);
  await until(() => seen.connected.length === 2, { what: 'connected again' });
  expect(seen.status).toEqual(['connecting', 'connected', 'reconnecting', 'connected']);
});

it('a session closed as a slow consumer or for an abuse cool-down reconnects (the transport does)', async () => {
  const { seen } = inbox();
  clients[0].open();
  await until(() => seen.connected.length === 1, { what: 'connected' });
  closeSession(gateway.sockets[0], 'SLOW_CONSUMER');
  await until(() => seen.connected.length === 2, { what: 'connected again' });
  gateway.refusals.push({ code: 'RATE_LIMITED', message: 'cool down', details: { retryAfterMs: 100 } });
  closeSession(gateway.sockets[0], 'RATE_LIMITED');
  await until(() => seen.connected.length === 3, { what: 'connected after the cool-down' });
  expect(gateway.tokens).toEqual(['t1', 't2', 't3', 't4']);
  expect(seen.stopped).toEqual([]);
  expect(seen.status).toEqual([
    'connecting',
    'connected',
    'reconnecting',
    'connected',
    'reconnecting',
    'connected',
  ]);
});

it('a session closed for an expired token reconnects with a fresh token', async () => {
  const { seen } = inbox();
  clients[0].open();
  await until(() => seen.connected.length === 1, { what: 'connected' });
  closeSession(gateway.sockets[0], 'TOKEN_EXPIRED');
  await until(() => seen.connected.length === 2, { what: 'connected again' });
  expect(gateway.tokens).toEqual(['t1', 't2']);
  expect(seen.stopped).toEqual([]);
});

it('a handshake refused as expired is tried once more with a fresh token', async () => {
  gateway.refusals.push({ code: 'TOKEN_EXPIRED', message: 'expired' });
  const { seen } = inbox();
  clients[0].open();
  await until(() => seen.connected.length === 1, { what: 'connected' });
  expect(gateway.tokens).toEqual(['t1', 't2']);
});

it('a handshake refused with a retryable code is tried again after its wait', async () => {
  gateway.refusals.push({ code: 'RATE_LIMITED', message: 'cool down', details: { retryAfterMs: 150 } });
  const { seen } = inbox();
  const started = Date.now();
  clients[0].open();
  await until(() => seen.connected.length === 1, { what: 'connected' });
  expect(Date.now() - started).toBeGreaterThanOrEqual(150);
  expect(gateway.handshakes).toHaveLength(2);
});

it('stops for a refusal no retry gets past, and for a sign-out', async () => {
  gateway.refusals.push({ code: 'TOO_MANY_SOCKETS', message: 'too many' });
  const refused = inbox();
  refused.client.open();
  await until(() => refused.seen.stopped.length === 1, { what: 'stopped' });
  expect(refused.seen.stopped[0]).toEqual({ refused: { code: 'TOO_MANY_SOCKETS', message: 'too many' } });
  expect(refused.client.status).toBe('offline');

  const signedOut = inbox();
  signedOut.client.open();
  await until(() => signedOut.seen.connected.length === 1, { what: 'connected' });
  closeSession(gateway.sockets[0], 'SIGNED_OUT');
  await until(() => signedOut.seen.stopped.length === 1, { what: 'stopped' });
  expect(signedOut.seen.stopped[0]).toMatchObject({ closed: { reason: 'SIGNED_OUT' } });
  // Neither comes back on its own.
  await new Promise((r) => setTimeout(r, 300));
  expect(gateway.handshakes).toHaveLength(2);
  expect(gateway.sockets).toHaveLength(0);
});

it('close() ends the socket for good, and open() connects again', async () => {
  const { client, seen } = inbox();
  client.open();
  client.open();
  await until(() => seen.connected.length === 1, { what: 'connected' });
  expect(gateway.sockets).toHaveLength(1);
  client.close();
  await until(() => gateway.sockets.length === 0, { what: 'the server saw the socket go' });
  await new Promise((r) => setTimeout(r, 300));
  expect(gateway.handshakes).toHaveLength(1);
  expect(client.status).toBe('offline');
  client.open();
  await until(() => seen.connected.length === 2, { what: 'connected again' });
});
