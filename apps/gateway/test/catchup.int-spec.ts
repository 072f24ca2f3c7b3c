import { CollabDocument } from '@collab/client';
import Delta from 'quill-delta';
import { GatewayHarness, request, type RunningGateway } from './harness';

jest.setTimeout(180_000);

let h: GatewayHarness;
let gateway: RunningGateway;

beforeAll(async () => {
  h = await GatewayHarness.create('gw_catchup');
  await h.startDocService();
  // The history writer is a test tool that commits thousands of operations
  // quickly, far above what the abuse limits let one person send.
  gateway = await h.startGateway({
    OPS_PER_SECOND_PER_SOCKET: '10000',
    OPS_PER_SECOND_PER_USER: '10000',
    OPS_IN_FLIGHT_PER_SOCKET: '200',
    EVENTS_PER_SECOND_PER_SOCKET: '100000',
  });
  await h.settle();
});

afterAll(async () => {
  await h?.close();
});

/**
 * Commits `count` one-character inserts through a raw socket, `batch`
 * writers at a time all based on the same head (the server transforms each
 * against the ones before it), so the history grows quickly but realistically.
 */
async function writeHistory(
  docId: string,
  userId: string,
  count: number,
  batch = 100,
  writer = 'writer',
): Promise<void> {
  const socket = await h.connect(gateway, userId);
  expect((await request<{ ok: boolean }>(socket, 'join', { docId })).ok).toBe(true);
  let seq = 0;
  let head = (await h.storedOps(docId)).length;
  while (seq < count) {
    const size = Math.min(batch, count - seq);
    const acks = await Promise.all(
      Array.from({ length: size }, (_, i) =>
        request<{ ok: boolean; version: number }>(socket, 'op', {
          docId,
          // One writer per slot: a client keeps one op in flight, as the SDK does.
          clientId: `${writer}-${i}`,
          seq: seq / batch + 1,
          baseVersion: head,
          delta: [{ insert: String.fromCharCode(97 + ((seq + i) % 26)) }],
        }),
      ),
    );
    expect(acks.filter((ack) => !ack.ok)).toEqual([]);
    seq += size;
    head = Math.max(...acks.map((a) => a.version));
  }
  socket.disconnect();
}

describe('catch-up', () => {
  it('a client 5,000 operations behind catches up in pages, converges and can edit again', async () => {
    const owner = await h.createUser('Ada');
    const docId = await h.createDocument(owner);
    const behind = h.track(
      new CollabDocument({
        url: gateway.url,
        docId,
        token: () => h.token(owner),
        catchupLimit: 400,
      }),
    );
    await behind.open();
    behind.submit(new Delta().insert('start '));
    await behind.whenSynced();
    behind.disconnect();
    // Typed while offline: rebased over the 5,000 operations after reconnecting.
    behind.submit(new Delta().retain(6).insert('offline '));

    await writeHistory(docId, owner, 5_000);

    // Others keep writing while it reconnects: live broadcasts arrive during the catch-up.
    const more = writeHistory(docId, owner, 1_000, 20, 'late');
    behind.reconnect();
    await more;
    await behind.whenSynced(60_000);
    const log = await h.replay(docId);
    expect(behind.version).toBe(6_002);
    expect(behind.document).toEqual(log);
    expect(behind.text).toContain('start offline ');
    expect(behind.text.length).toBe('start offline '.length + 6_000 + 1);
    expect(behind.length).toBe(log.length());
    const versions = (await h.storedOps(docId)).map((op) => op.version);
    expect(versions).toEqual(Array.from({ length: 6_002 }, (_, i) => i + 1));

    // Still live after the catch-up: a fresh joiner sees an edit made now.
    behind.submit(new Delta().insert('!'));
    await behind.whenSynced();
    const fresh = h.track(new CollabDocument({ url: gateway.url, docId, token: () => h.token(owner) }));
    await fresh.open();
    expect(fresh.document).toEqual(behind.document);
    fresh.close();
    behind.close();
  });
});
