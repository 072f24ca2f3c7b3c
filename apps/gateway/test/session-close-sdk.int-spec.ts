import { CollabDocument, type ConnectionStatus } from '@collab/client';
import { until } from '@collab/testing';
import Delta from 'quill-delta';
import { GatewayHarness, type RunningGateway } from './harness';

jest.setTimeout(60_000);

/** The abuse guard, tight enough for one burst of requests to trip it. */
const EVENTS_PER_SECOND = 20;
const COOLDOWN_SECONDS = 2;

let h: GatewayHarness;
let gateway: RunningGateway;

beforeAll(async () => {
  h = await GatewayHarness.create('gw_session_close');
  await h.startDocService();
  gateway = await h.startGateway({
    EVENTS_PER_SECOND_PER_SOCKET: String(EVENTS_PER_SECOND),
    ABUSE_STRIKES: '3',
    ABUSE_WINDOW_SECONDS: '10',
    ABUSE_COOLDOWN_SECONDS: String(COOLDOWN_SECONDS),
  });
  await h.settle();
});

afterAll(async () => {
  await h?.close();
});

function open(docId: string, userId: string): CollabDocument {
  return h.track(new CollabDocument({ url: gateway.url, docId, token: () => h.token(userId) }));
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
