import { PROTOCOL_VERSION, type PresenceState, type WireError } from '@collab/contracts';
import { until } from '@collab/testing';
import type { Socket as ClientSocket } from 'socket.io-client';
import { GatewayHarness, request, type RunningGateway } from './harness';

jest.setTimeout(60_000);

/**
 * A client that comes back under a new session names the one it had
 * (handshake `previousSessionId`), and each join takes that session's caret
 * off the document: the old socket may still be open on the server's side
 * (a half-open connection after a network switch, here simply left open),
 * and without this the person would see their own ghost and the others two
 * carets of theirs until its ping timed out.
 */
let h: GatewayHarness;
let gateways: RunningGateway[];

beforeAll(async () => {
  h = await GatewayHarness.create('gw_presence_replace');
  await h.startDocService();
  gateways = [await h.startGateway(), await h.startGateway()];
  await h.settle();
});

afterAll(async () => {
  await h?.close();
});

interface JoinAck {
  presence: PresenceState[];
}

/** `userId` connected to `gateway` with `previousSessionId` in its handshake. */
async function reconnectAs(gateway: RunningGateway, userId: string, previousSessionId: unknown) {
  const socket = h.client(gateway, {
    token: h.token(userId),
    protocolVersion: PROTOCOL_VERSION,
    previousSessionId,
  });
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', resolve);
    socket.once('connect_error', reject);
  });
  return socket;
}

/** Joins `docId` on `socket` and shows a caret there; resolves once `watcher` has seen it. */
async function joinWithCaret(socket: ClientSocket, docId: string, seen: PresenceState[]): Promise<void> {
  await request(socket, 'join', { docId });
  await request(socket, 'presence', { docId, version: 0, selection: { anchor: 0, head: 0 } });
  await until(async () => seen.some((p) => p.sessionId === socket.id), { what: `the caret of ${socket.id}` });
}

async function sharedDocument() {
  const ada = await h.createUser('Ada');
  const bob = await h.createUser('Bob');
  const docId = await h.createDocument(ada);
  await h.addMember(docId, bob, 'editor');
  // Bob watches from the other gateway: what he sees is what everyone else sees.
  const watcher = await h.connect(gateways[1], bob);
  await request(watcher, 'join', { docId });
  const seen: PresenceState[] = [];
  const left: { sessionId: string }[] = [];
  watcher.on('presence', (p: PresenceState) => seen.push(p));
  watcher.on('presence:leave', (l: { sessionId: string }) => left.push(l));
  return { ada, bob, docId, watcher, seen, left };
}

describe('a client back under a new session', () => {
  it('takes its old caret off the document for everyone, across gateways, while the old socket stays open', async () => {
    const { ada, docId, seen, left } = await sharedDocument();
    const old = await h.connect(gateways[0], ada);
    await joinWithCaret(old, docId, seen);

    const back = await reconnectAs(gateways[1], ada, old.id);
    const joined = await request<JoinAck>(back, 'join', { docId });
    // Ada's new session is not shown her own ghost, and Bob sees it go.
    expect(joined.presence.map((p) => p.sessionId)).toEqual([]);
    await until(async () => left.some((l) => l.sessionId === old.id), { what: 'the old caret leaving' });
    expect(old.connected).toBe(true);
    // Whoever joins now sees one caret of Ada's at most: the new one once she moves it.
    await request(back, 'presence', { docId, version: 0, selection: { anchor: 0, head: 0 } });
    await until(async () => seen.some((p) => p.sessionId === back.id), { what: 'the new caret' });
    const later = await h.connect(gateways[0], ada);
    const listed = await request<JoinAck>(later, 'join', { docId });
    expect(listed.presence.map((p) => p.sessionId)).toEqual([back.id]);
  });

  it("never takes away someone else's caret, whatever session it names", async () => {
    const { ada, bob, docId, watcher, seen, left } = await sharedDocument();
    const bobs = await h.connect(gateways[0], bob);
    await joinWithCaret(bobs, docId, seen);

    const ada2 = await reconnectAs(gateways[0], ada, bobs.id);
    const joined = await request<JoinAck>(ada2, 'join', { docId });
    expect(joined.presence.map((p) => p.sessionId)).toContain(bobs.id);
    // A join answered after Ada's shows Bob's caret still there, and no leave came for it.
    const check = await h.connect(gateways[1], ada);
    const listed = await request<JoinAck>(check, 'join', { docId });
    expect(listed.presence.map((p) => p.sessionId)).toContain(bobs.id);
    expect(left.filter((l) => l.sessionId === bobs.id)).toEqual([]);
    expect(watcher.connected).toBe(true);
  });

  it('refuses a malformed previous session with BAD_REQUEST and changes nothing', async () => {
    const { ada, docId, seen, left } = await sharedDocument();
    const old = await h.connect(gateways[0], ada);
    await joinWithCaret(old, docId, seen);
    for (const previousSessionId of [42, '', 'x'.repeat(129)]) {
      const refused = await reconnectAs(gateways[1], ada, previousSessionId).then(
        () => null,
        (error: Error & { data?: WireError }) => error.data ?? null,
      );
      expect(refused).toMatchObject({ code: 'BAD_REQUEST' });
    }
    const check = await h.connect(gateways[1], ada);
    const listed = await request<JoinAck>(check, 'join', { docId });
    expect(listed.presence.map((p) => p.sessionId)).toContain(old.id);
    expect(left).toEqual([]);
  });
});
