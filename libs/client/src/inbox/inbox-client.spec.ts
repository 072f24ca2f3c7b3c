import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { NotificationEvent, SessionClosed, WireError } from '@collab/contracts';
import { until } from '@collab/testing';
import { Server, type Socket } from 'socket.io';
import { InboxClient, type InboxEvents } from './inbox-client';

/**
 * InboxClient against a real Socket.IO server that plays the gateway's part
 * for the user's room: it sends `notification`, says `session:closed` and
 * closes sockets, and refuses handshakes, as the test says. Against the real
 * gateway, see apps/gateway/test/inbox-sdk.int-spec.ts.
 */
let io: Server;
let url: string;
/** Every handshake's token, in order. */
const handshakes: string[] = [];
/** Refuses the next handshakes with these errors, one each. */
const refusals: WireError[] = [];
let sockets: Socket[] = [];

beforeAll(async () => {
  const http = createServer();
  io = new Server(http);
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
  io.use((socket, next) => {
    handshakes.push(String((socket.handshake.auth as { token?: unknown }).token));
    const refusal = refusals.shift();
    next(refusal ? Object.assign(new Error(refusal.message), { data: refusal }) : undefined);
  });
  io.on('connection', (socket) => {
    sockets.push(socket);
    socket.on('disconnect', () => (sockets = sockets.filter((s) => s !== socket)));
  });
});
afterAll(async () => {
  await io.close();
});

const clients: InboxClient[] = [];
afterEach(() => {
  for (const client of clients.splice(0)) client.close();
  handshakes.length = 0;
  refusals.length = 0;
});

/** An inbox whose n-th token is `t<n>`, with every event it emits recorded. */
function inbox(): { client: InboxClient; seen: { [K in keyof InboxEvents]: InboxEvents[K][0][] } } {
  let issued = 0;
  const client = new InboxClient({ url, token: () => `t${++issued}`, retryDelayMs: 20 });
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

function closeSession(socket: Socket, reason: SessionClosed['reason']): void {
  socket.emit('session:closed', { reason, message: 'closed by the test' });
  socket.disconnect(true);
}

it('emits valid notifications only, and says when it is connected', async () => {
  const { client, seen } = inbox();
  client.open();
  await until(() => seen.connected.length === 1, { what: 'connected' });
  expect(client.status).toBe('connected');
  const valid = notification(3);
  sockets[0].emit('notification', { unreadCount: -1, notification: valid.notification });
  sockets[0].emit('notification', { ...valid, notification: { ...valid.notification, id: 'nope' } });
  sockets[0].emit('notification', valid);
  await until(() => seen.notification.length === 1, { what: 'the valid notification' });
  expect(seen.notification).toEqual([valid]);
});

it('after a server-side close without a reason, reconnects and says so again (the owner re-reads then)', async () => {
  const { seen } = inbox();
  clients[0].open();
  await until(() => seen.connected.length === 1, { what: 'connected' });
  sockets[0].disconnect(true);
  await until(() => seen.connected.length === 2, { what: 'connected again' });
  expect(seen.status).toEqual(['connecting', 'connected', 'reconnecting', 'connected']);
});

it('a session closed as a slow consumer or for an abuse cool-down reconnects (the transport does)', async () => {
  const { seen } = inbox();
  clients[0].open();
  await until(() => seen.connected.length === 1, { what: 'connected' });
  closeSession(sockets[0], 'SLOW_CONSUMER');
  await until(() => seen.connected.length === 2, { what: 'connected again' });
  refusals.push({ code: 'RATE_LIMITED', message: 'cool down', details: { retryAfterMs: 100 } });
  closeSession(sockets[0], 'RATE_LIMITED');
  await until(() => seen.connected.length === 3, { what: 'connected after the cool-down' });
  expect(handshakes).toEqual(['t1', 't2', 't3', 't4']);
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
  closeSession(sockets[0], 'TOKEN_EXPIRED');
  await until(() => seen.connected.length === 2, { what: 'connected again' });
  expect(handshakes).toEqual(['t1', 't2']);
  expect(seen.stopped).toEqual([]);
});

it('a handshake refused as expired is tried once more with a fresh token', async () => {
  refusals.push({ code: 'TOKEN_EXPIRED', message: 'expired' });
  const { seen } = inbox();
  clients[0].open();
  await until(() => seen.connected.length === 1, { what: 'connected' });
  expect(handshakes).toEqual(['t1', 't2']);
});

it('a handshake refused with a retryable code is tried again after its wait', async () => {
  refusals.push({ code: 'RATE_LIMITED', message: 'cool down', details: { retryAfterMs: 150 } });
  const { seen } = inbox();
  const started = Date.now();
  clients[0].open();
  await until(() => seen.connected.length === 1, { what: 'connected' });
  expect(Date.now() - started).toBeGreaterThanOrEqual(150);
  expect(handshakes).toHaveLength(2);
});

it('stops for a refusal no retry gets past, and for a sign-out', async () => {
  refusals.push({ code: 'TOO_MANY_SOCKETS', message: 'too many' });
  const refused = inbox();
  refused.client.open();
  await until(() => refused.seen.stopped.length === 1, { what: 'stopped' });
  expect(refused.seen.stopped[0]).toEqual({ refused: { code: 'TOO_MANY_SOCKETS', message: 'too many' } });
  expect(refused.client.status).toBe('offline');

  const signedOut = inbox();
  signedOut.client.open();
  await until(() => signedOut.seen.connected.length === 1, { what: 'connected' });
  closeSession(sockets[0], 'SIGNED_OUT');
  await until(() => signedOut.seen.stopped.length === 1, { what: 'stopped' });
  expect(signedOut.seen.stopped[0]).toMatchObject({ closed: { reason: 'SIGNED_OUT' } });
  // Neither comes back on its own.
  await new Promise((r) => setTimeout(r, 300));
  expect(handshakes).toHaveLength(2);
  expect(sockets).toHaveLength(0);
});

it('close() ends the socket for good, and open() connects again', async () => {
  const { client, seen } = inbox();
  client.open();
  client.open();
  await until(() => seen.connected.length === 1, { what: 'connected' });
  expect(sockets).toHaveLength(1);
  client.close();
  await until(() => sockets.length === 0, { what: 'the server saw the socket go' });
  await new Promise((r) => setTimeout(r, 300));
  expect(handshakes).toHaveLength(1);
  expect(client.status).toBe('offline');
  client.open();
  await until(() => seen.connected.length === 2, { what: 'connected again' });
});
