import { request } from './harness';
import { limitsHarness, op } from './socket-limit-tools';

jest.setTimeout(120_000);

const stack = limitsHarness('gw_message_size');

describe('message size', () => {
  it('refuses a message over the limit with MESSAGE_TOO_LARGE and keeps the socket', async () => {
    const gateway = await stack.h.startGateway();
    const userId = await stack.h.createUser();
    const docId = await stack.h.createDocument(userId);
    const socket = await stack.h.connect(gateway, userId);
    expect(await request(socket, 'join', { docId })).toMatchObject({ ok: true });
    const refused = await request(socket, 'op', op(docId, 'big', 'x'.repeat(5 * 1_048_576)));
    expect(refused).toEqual({
      ok: false,
      error: { code: 'MESSAGE_TOO_LARGE', message: expect.any(String), details: { maxBytes: 4 * 1_048_576 } },
    });
    expect(socket.connected).toBe(true);
    expect(await stack.h.storedOps(docId)).toEqual([]);
    // The next, ordinary message goes through.
    expect(await request(socket, 'op', op(docId, 'big', 'small'))).toMatchObject({ ok: true, version: 1 });
  });

  it('drops a connection whose message is far over the limit; the gateway keeps serving', async () => {
    const gateway = await stack.h.startGateway();
    const userId = await stack.h.createUser();
    const docId = await stack.h.createDocument(userId);
    const socket = await stack.h.connect(gateway, userId);
    expect(await request(socket, 'join', { docId })).toMatchObject({ ok: true });
    const gone = new Promise<string>((resolve) => socket.once('disconnect', resolve));
    socket.emit('op', op(docId, 'huge', 'x'.repeat(9 * 1_048_576)), () => undefined);
    expect(await gone).toBe('transport close');
    expect(await stack.h.storedOps(docId)).toEqual([]);
    const again = await stack.h.connect(gateway, userId);
    expect(await request(again, 'join', { docId })).toMatchObject({ ok: true });
  });
});

describe('operation and document size', () => {
  it('refuses an operation over the size limit with OP_TOO_LARGE and a document growing past its limit with DOC_TOO_LARGE', async () => {
    const gateway = await stack.h.startGateway();
    const userId = await stack.h.createUser();
    const docId = await stack.h.createDocument(userId);
    const socket = await stack.h.connect(gateway, userId);
    expect(await request(socket, 'join', { docId })).toMatchObject({ ok: true });
    const submit = (clientId: string, baseVersion: number, length: number) =>
      request(socket, 'op', {
        docId,
        clientId,
        seq: 1,
        baseVersion,
        delta: [{ insert: 'x'.repeat(length) }],
      });
    expect(await submit('big-0', 0, 1_000_001)).toMatchObject({ ok: false, error: { code: 'OP_TOO_LARGE' } });
    expect(await submit('big-1', 0, 1_000_000)).toEqual({ ok: true, version: 1 });
    expect(await submit('big-2', 1, 999_999)).toEqual({ ok: true, version: 2 });
    expect(await submit('big-3', 2, 10)).toMatchObject({ ok: false, error: { code: 'DOC_TOO_LARGE' } });
    expect((await stack.h.storedOps(docId)).map((o) => o.clientId)).toEqual(['big-1', 'big-2']);
  });
});
