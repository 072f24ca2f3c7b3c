import { until } from '@collab/testing';
import { PROTOCOL_VERSION } from '@collab/contracts';
import { GatewayHarness, request, type RunningGateway } from './harness';
import { reapingGatewayEnv, socketServerOf } from './slow-consumer-tools';

jest.setTimeout(120_000);

const MAX_BACKLOG = 256 * 1024;

let h: GatewayHarness;
let gateway: RunningGateway;

beforeAll(async () => {
  h = await GatewayHarness.create('gw_slow');
  await h.startDocService();
  gateway = await h.startGateway(reapingGatewayEnv(MAX_BACKLOG));
  await h.settle();
});

afterAll(async () => {
  await h?.close();
});

describe('a client that stops reading', () => {
  it('is disconnected once its backlog passes the limit, while a reading client keeps editing', async () => {
    const owner = await h.createUser('Writer');
    const stalled = await h.createUser('Stalled');
    const docId = await h.createDocument(owner);
    await h.addMember(docId, stalled, 'viewer');

    const writer = await h.connect(gateway, owner);
    expect((await request<{ ok: boolean }>(writer, 'join', { docId })).ok).toBe(true);
    const slow = h.client(gateway, { token: h.token(stalled), protocolVersion: PROTOCOL_VERSION });
    await new Promise<void>((resolve, reject) => {
      slow.once('connect', resolve);
      slow.once('connect_error', reject);
    });
    expect((await request<{ ok: boolean }>(slow, 'join', { docId })).ok).toBe(true);
    const slowId = slow.id!;
    expect(socketServerOf(gateway).of('/').sockets.has(slowId)).toBe(true);

    // Stop reading: the client's TCP socket is paused, so the kernel buffers
    // fill and the gateway's queue for it starts to grow.
    const engine = slow.io.engine as unknown as { transport: { ws: { _socket: { pause(): void } } } };
    engine.transport.ws._socket.pause();

    // The writer keeps a busy document: 32 KiB inserted, then deleted again
    // (the document stays small; every broadcast still carries the text).
    const chunk = 'x'.repeat(32 * 1024);
    let version = 0;
    let seq = 0;
    const closedAt = async () => !socketServerOf(gateway).of('/').sockets.has(slowId);
    for (let i = 0; i < 2_000 && !(await closedAt()); i++) {
      const insert = i % 2 === 0;
      const ack = await request<{ ok: boolean; version: number }>(writer, 'op', {
        docId,
        clientId: 'writer',
        seq: ++seq,
        baseVersion: version,
        delta: insert ? [{ insert: chunk }] : [{ delete: chunk.length }],
      });
      if (!ack.ok) throw new Error(JSON.stringify(ack));
      version = ack.version;
    }
    await until(closedAt, { what: 'the slow consumer to be disconnected', timeoutMs: 10_000 });

    // The writer was never held up, and is still connected and editing.
    expect(writer.connected).toBe(true);
    const after = await request<{ ok: boolean; version: number }>(writer, 'op', {
      docId,
      clientId: 'writer',
      seq: ++seq,
      baseVersion: version,
      delta: [{ insert: 'still here' }],
    });
    expect(after).toMatchObject({ ok: true, version: version + 1 });
    // Nothing is kept for the closed client any more.
    expect(socketServerOf(gateway).of('/').sockets.size).toBeGreaterThan(0);
    expect([...socketServerOf(gateway).of('/').sockets.keys()]).not.toContain(slowId);
  });
});
