import { CollabDocument, type ConnectionStatus } from '@collab/client';
import { until } from '@collab/testing';
import Delta from 'quill-delta';
import type { Socket as ClientSocket } from 'socket.io-client';
import { GatewayHarness, request, type RunningGateway } from './harness';
import { reapingGatewayEnv, socketServerOf } from './slow-consumer-tools';

jest.setTimeout(60_000);

/** The abuse guard, tight enough for one burst of requests to trip it. */
const EVENTS_PER_SECOND = 20;
const COOLDOWN_SECONDS = 2;

let h: GatewayHarness;
/** A gateway whose abuse guard one burst trips. */
let gateway: RunningGateway;
/** A gateway that closes a client whose unsent backlog passes 256 KiB. */
let reaping: RunningGateway;

beforeAll(async () => {
  h = await GatewayHarness.create('gw_session_close');
  await h.startDocService();
  gateway = await h.startGateway({
    EVENTS_PER_SECOND_PER_SOCKET: String(EVENTS_PER_SECOND),
    ABUSE_STRIKES: '3',
    ABUSE_WINDOW_SECONDS: '10',
    ABUSE_COOLDOWN_SECONDS: String(COOLDOWN_SECONDS),
  });
  reaping = await h.startGateway(reapingGatewayEnv(256 * 1024));
  await h.settle();
});

afterAll(async () => {
  await h?.close();
});

function open(docId: string, userId: string, on = gateway): CollabDocument {
  return h.track(new CollabDocument({ url: on.url, docId, token: () => h.token(userId) }));
}

/**
 * The Socket.IO client under a document. The SDK keeps it to itself; this
 * test reaches in to stop reading from the network, as a suspended laptop
 * or a wedged tab does (see slow-consumer.int-spec.ts).
 */
function socketOf(doc: CollabDocument): ClientSocket {
  return (doc as unknown as { transport: { socket: ClientSocket } }).transport.socket;
}

function tcpOf(doc: CollabDocument): { pause(): void; resume(): void } {
  const engine = socketOf(doc).io.engine as unknown as {
    transport: { ws: { _socket: { pause(): void; resume(): void } } };
  };
  return engine.transport.ws._socket;
}

/**
 * The gateway cuts off a socket that collects too many refusals
 * (`session:closed` RATE_LIMITED, then `disconnect(true)`) and refuses its
 * user's handshakes for a cool-down. Socket.IO does not reconnect after a
 * server-side disconnect by itself; the SDK's transport does, after its
 * back-off and no sooner than the cool-down the refused handshake names.
 */
it('a document cut off by the abuse guard waits out the cool-down, rejoins, catches up and sends its edits exactly once', async () => {
  const ada = await h.createUser('Ada');
  const bob = await h.createUser('Bob');
  const docId = await h.createDocument(ada);
  await h.addMember(docId, bob, 'editor');
  const writer = open(docId, ada);
  await writer.open();
  writer.submit(new Delta().insert('Hello\n'));
  await writer.whenSynced();

  const doc = open(docId, bob);
  await doc.open();
  await until(() => doc.text === 'Hello\n\n', { what: "Bob has Ada's text" });
  const statuses: ConnectionStatus[] = [];
  doc.on('status', (status) => statuses.push(status));
  let closedAt = 0;
  doc.on('status', (status) => status === 'reconnecting' && !closedAt && (closedAt = Date.now()));

  // A burst of caret updates well over the per-socket limit: the refusals
  // are strikes, and the socket is closed; an edit made right then is in flight.
  for (let i = 0; i < 3 * EVENTS_PER_SECOND; i++) doc.setSelection({ anchor: i % 5, head: i % 5 });
  doc.submit(new Delta().retain(5).insert(', world'));
  await until(() => statuses.includes('reconnecting'), { what: 'Bob cut off' });

  // While Bob is away, Ada writes, and Bob edits locally.
  writer.submit(new Delta().insert('Ada: '));
  await writer.whenSynced();
  doc.submit(new Delta().retain(doc.length - 1).insert('!'));
  expect(doc.status).toBe('reconnecting');

  await until(() => doc.status === 'connected', { what: 'Bob back', timeoutMs: 20_000 });
  // The cool-down refused the handshakes until it ended.
  expect(Date.now() - closedAt).toBeGreaterThanOrEqual(COOLDOWN_SECONDS * 1000 - 300);
  await doc.whenSynced();
  await until(() => writer.text === doc.text, { what: 'Ada has Bob’s edits' });

  expect(doc.text).toBe('Ada: Hello, world\n!\n');
  expect(statuses).not.toContain('offline');
  // Each of Bob's operations is in the log once, in order of its seq.
  const bobs = (await h.storedOps(docId)).filter((op) => op.clientId === doc.clientId);
  expect(bobs.map((op) => op.seq)).toEqual(bobs.map((_, i) => i + 1));
  expect(bobs.length).toBeGreaterThanOrEqual(1);
  expect((await h.replay(docId)).ops).toEqual(new Delta().insert(doc.text).ops);
});

/**
 * The gateway closes a client that stops reading (`session:closed`
 * SLOW_CONSUMER once its backlog passes the limit). When it reads again it
 * gets the close, and the SDK reconnects, rejoins and catches up on what was
 * committed meanwhile; the edit it sent into the dead connection is sent again
 * and committed once.
 */
it('a document closed as a slow consumer reconnects, catches up and sends its edit exactly once', async () => {
  const ada = await h.createUser('Ada');
  const bob = await h.createUser('Bob');
  const docId = await h.createDocument(ada);
  await h.addMember(docId, bob, 'editor');
  const writer = await h.connect(reaping, ada);
  expect((await request<{ ok: boolean }>(writer, 'join', { docId })).ok).toBe(true);
  const doc = open(docId, bob, reaping);
  await doc.open();
  const statuses: ConnectionStatus[] = [];
  doc.on('status', (status) => statuses.push(status));
  const server = socketServerOf(reaping);
  const bobsSocket = socketOf(doc).id!;
  expect(server.of('/').sockets.has(bobsSocket)).toBe(true);

  tcpOf(doc).pause();
  // Ada keeps the document busy (32 KiB in, then out again) until Bob is cut off.
  const chunk = 'x'.repeat(32 * 1024);
  let version = 0;
  let seq = 0;
  const reaped = () => !server.of('/').sockets.has(bobsSocket);
  for (let i = 0; i < 2_000 && !reaped(); i++) {
    const ack = await request<{ ok: boolean; version: number }>(writer, 'op', {
      docId,
      clientId: 'ada',
      seq: ++seq,
      baseVersion: version,
      delta: i % 2 === 0 ? [{ insert: chunk }] : [{ delete: chunk.length }],
    });
    if (!ack.ok) throw new Error(JSON.stringify(ack));
    version = ack.version;
  }
  await until(reaped, { what: 'Bob closed as a slow consumer', timeoutMs: 10_000 });
  if (seq % 2 === 1) {
    // The last chunk out again, so the document ends small.
    const ack = await request<{ ok: boolean; version: number }>(writer, 'op', {
      docId,
      clientId: 'ada',
      seq: ++seq,
      baseVersion: version,
      delta: [{ delete: chunk.length }],
    });
    expect(ack.ok).toBe(true);
    version = ack.version;
  }
  // Bob's edit goes into the connection the gateway has already closed: no answer comes.
  doc.submit(new Delta().insert('Bob '));
  const ada1 = await request<{ ok: boolean; version: number }>(writer, 'op', {
    docId,
    clientId: 'ada',
    seq: ++seq,
    baseVersion: version,
    delta: [{ insert: 'Ada\n' }],
  });
  expect(ada1.ok).toBe(true);

  tcpOf(doc).resume();
  await until(() => statuses.includes('reconnecting') && doc.status === 'connected', {
    what: 'Bob back',
    timeoutMs: 20_000,
  });
  await doc.whenSynced(20_000);
  expect(socketOf(doc).id).not.toBe(bobsSocket);
  expect(statuses).not.toContain('offline');
  expect(doc.version).toBe(ada1.version + 1);
  expect((await h.replay(docId)).ops).toEqual(new Delta().insert(doc.text).ops);
  expect(doc.text).toMatch(/^(Bob Ada\n|Ada\nBob )\n$/);
  const bobs = (await h.storedOps(docId)).filter((op) => op.clientId === doc.clientId);
  expect(bobs.map((op) => op.seq)).toEqual([1]);
});
