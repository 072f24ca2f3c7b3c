import { scrapeMetric, until } from '@collab/testing';
import { PROTOCOL_VERSION } from '@collab/contracts';
import { io } from 'socket.io-client';
import { closedBy, connected, refused, request, type RunningGateway } from './harness';
import { limitsHarness } from './socket-limit-tools';
import { socketServerOf } from './slow-consumer-tools';

jest.setTimeout(120_000);

const stack = limitsHarness('gw_socket_admission');

function serverSockets(gateway: RunningGateway): number {
  return socketServerOf(gateway).of('/').sockets.size;
}

describe('handshake Origin allow-list', () => {
  it('refuses a foreign Origin before any handler runs, and admits an allowed one', async () => {
    const gateway = await stack.h.startGateway({ ALLOWED_ORIGINS: 'https://app.example.test' });
    const userId = await stack.h.createUser();
    const auth = { token: stack.h.token(userId), protocolVersion: PROTOCOL_VERSION };
    const foreign = io(gateway.url, {
      auth,
      transports: ['websocket'],
      reconnection: false,
      forceNew: true,
      extraHeaders: { origin: 'https://evil.example.test' },
    });
    stack.h.track(foreign);
    // The page is told why, so it can say so instead of reconnecting forever.
    expect((await refused(foreign)).data).toMatchObject({
      code: 'ORIGIN_NOT_ALLOWED',
      message: expect.stringContaining('https://evil.example.test'),
    });
    expect(serverSockets(gateway)).toBe(0);
    expect(await scrapeMetric(gateway.url, 'collab_gateway_foreign_origin_handshakes_total')).toBe(1);

    const polling = io(gateway.url, {
      auth,
      transports: ['polling'],
      reconnection: false,
      forceNew: true,
      extraHeaders: { origin: 'https://evil.example.test' },
    });
    stack.h.track(polling);
    expect((await refused(polling)).data).toMatchObject({ code: 'ORIGIN_NOT_ALLOWED' });
    expect(serverSockets(gateway)).toBe(0);

    const allowed = io(gateway.url, {
      auth,
      transports: ['websocket'],
      reconnection: false,
      forceNew: true,
      extraHeaders: { origin: 'https://app.example.test' },
    });
    stack.h.track(allowed);
    await connected(allowed);
    allowed.disconnect();
  });
});

describe('sockets per user', () => {
  it('caps one user’s sockets across gateways with TOO_MANY_SOCKETS and frees the place on disconnect', async () => {
    const a = await stack.h.startGateway({ MAX_SOCKETS_PER_USER: '2' });
    const b = await stack.h.startGateway({ MAX_SOCKETS_PER_USER: '2' });
    const userId = await stack.h.createUser();
    const first = await stack.h.connect(a, userId);
    await stack.h.connect(b, userId);
    const third = stack.h.client(a, { token: stack.h.token(userId), protocolVersion: PROTOCOL_VERSION });
    const error = await refused(third);
    expect(error.data?.code).toBe('TOO_MANY_SOCKETS');
    expect(await scrapeMetric(a.url, 'collab_gateway_too_many_sockets_total')).toBe(1);
    // Another user is not affected.
    await stack.h.connect(b, await stack.h.createUser());

    first.disconnect();
    await until(async () => (await stack.h.redis.zcard(stack.h.keys.userSockets(userId))) === 1, {
      what: "the closed socket's lease released",
    });
    await stack.h.connect(b, userId);
  });
});

describe('token expiry', () => {
  it('closes a socket when its access token expires, saying so', async () => {
    const gateway = await stack.h.startGateway();
    const reader = await stack.h.createUser();
    const docId = await stack.h.createDocument(reader);
    const short = stack.h.client(gateway, {
      token: stack.h.token(reader, 2),
      protocolVersion: PROTOCOL_VERSION,
    });
    await connected(short);
    expect(await request(short, 'join', { docId })).toMatchObject({ ok: true });
    const closed = closedBy(short);
    const { closed: why, reason } = await closed;
    expect(why).toEqual({ reason: 'TOKEN_EXPIRED', message: expect.any(String) });
    expect(reason).toBe('io server disconnect');
    expect(await scrapeMetric(gateway.url, 'collab_gateway_expired_sessions_total')).toBe(1);
  });
});
