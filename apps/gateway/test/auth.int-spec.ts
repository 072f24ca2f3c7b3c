import { randomUUID } from 'node:crypto';
import { PROTOCOL_VERSION } from '@collab/contracts';
import { JwtService } from '@nestjs/jwt';
import type { Server } from 'socket.io';
import { CollabGateway } from '../src/realtime/collab.gateway';
import { GatewayHarness, JWT_SECRET, type RunningGateway } from './harness';

jest.setTimeout(30_000);

let h: GatewayHarness;
let gateway: RunningGateway;

beforeAll(async () => {
  h = await GatewayHarness.create('gw-auth');
  gateway = await h.startGateway();
});

afterAll(async () => {
  await h?.close();
});

function refusal(auth: Record<string, unknown>): Promise<{ message: string; data?: { code: string } }> {
  const socket = h.client(gateway, auth);
  return new Promise((resolve, reject) => {
    socket.once('connect', () => reject(new Error('connected')));
    socket.once('connect_error', (error: Error & { data?: { code: string } }) =>
      resolve({ message: error.message, data: error.data }),
    );
  });
}

/** Sockets that passed the middleware; a refused handshake never becomes one, so no handler can run. */
function connectedSockets(): number {
  const server: Server = gateway.app.get(CollabGateway).server;
  return server.of('/').sockets.size;
}

describe('handshake authentication', () => {
  const userId = randomUUID();

  it('accepts a valid token with the current protocol version', async () => {
    const socket = await h.connect(gateway, userId);
    expect(socket.connected).toBe(true);
    socket.disconnect();
  });

  it.each([
    ['no auth at all', {}, 'PROTOCOL_MISMATCH'],
    ['no token', { protocolVersion: PROTOCOL_VERSION }, 'UNAUTHENTICATED'],
    ['a wrong protocol version', { token: 'x', protocolVersion: PROTOCOL_VERSION + 1 }, 'PROTOCOL_MISMATCH'],
    ['garbage', { token: 'not-a-jwt', protocolVersion: PROTOCOL_VERSION }, 'UNAUTHENTICATED'],
  ])('refuses %s', async (_name, auth, code) => {
    const error = await refusal(auth);
    expect(error.message).toBe(code);
    expect(error.data?.code).toBe(code);
  });

  it('refuses a token signed with another key', async () => {
    const token = new JwtService().sign({ sub: userId }, { secret: 'y'.repeat(40), expiresIn: 60 });
    expect((await refusal({ token, protocolVersion: PROTOCOL_VERSION })).data?.code).toBe('UNAUTHENTICATED');
  });

  it('refuses an unsigned token (alg: none)', async () => {
    const b64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');
    const now = Math.floor(Date.now() / 1000);
    const token = `${b64({ alg: 'none', typ: 'JWT' })}.${b64({ sub: userId, iat: now, exp: now + 60 })}.`;
    expect((await refusal({ token, protocolVersion: PROTOCOL_VERSION })).data?.code).toBe('UNAUTHENTICATED');
  });

  it('refuses an HS512 token made with the right key (algorithm pinned)', async () => {
    const token = new JwtService().sign(
      { sub: userId },
      { secret: JWT_SECRET, algorithm: 'HS512', expiresIn: 60 },
    );
    expect((await refusal({ token, protocolVersion: PROTOCOL_VERSION })).data?.code).toBe('UNAUTHENTICATED');
  });

  it('refuses an expired token with TOKEN_EXPIRED', async () => {
    const token = h.token(userId, -60);
    expect((await refusal({ token, protocolVersion: PROTOCOL_VERSION })).data?.code).toBe('TOKEN_EXPIRED');
  });

  it('refuses a token whose subject is not a user id', async () => {
    const token = new JwtService().sign({ sub: 'admin' }, { secret: JWT_SECRET, expiresIn: 60 });
    expect((await refusal({ token, protocolVersion: PROTOCOL_VERSION })).data?.code).toBe('UNAUTHENTICATED');
  });

  it('never lets a refused socket reach a handler', async () => {
    await refusal({ token: 'nope', protocolVersion: PROTOCOL_VERSION });
    expect(connectedSockets()).toBe(0);
  });
});
