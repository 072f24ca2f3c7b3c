import { randomUUID } from 'node:crypto';
import { PROTOCOL_VERSION, type TokenPair } from '@collab/contracts';
import { JwtService } from '@nestjs/jwt';
import { accountsGateway, PASSWORD } from './account-tools';
import { closedBy, connected, errorCode, refused, request } from './harness';

jest.setTimeout(60_000);

const stack = accountsGateway('gw_refresh_sign_out');
const { signUp } = stack;

describe('refresh and sign-out', () => {
  it('rotates the refresh token; the new pair works', async () => {
    const { pair } = await signUp();
    const res = await stack.h.api<TokenPair>(stack.gateway, 'POST', '/auth/refresh', {
      body: { refreshToken: pair.refreshToken },
    });
    expect(res.status).toBe(200);
    expect(res.body.refreshToken).not.toBe(pair.refreshToken);
    expect((await stack.h.api(stack.gateway, 'GET', '/me', { token: res.body.accessToken })).status).toBe(
      200,
    );
    const again = await stack.h.api<TokenPair>(stack.gateway, 'POST', '/auth/refresh', {
      body: { refreshToken: res.body.refreshToken },
    });
    expect(again.status).toBe(200);
  });

  it('treats reuse of a rotated token as theft and revokes the whole session', async () => {
    const { pair } = await signUp();
    const rotated = await stack.h.api<TokenPair>(stack.gateway, 'POST', '/auth/refresh', {
      body: { refreshToken: pair.refreshToken },
    });
    expect(rotated.status).toBe(200);
    const replay = await stack.h.api(stack.gateway, 'POST', '/auth/refresh', {
      body: { refreshToken: pair.refreshToken },
    });
    expect(replay.status).toBe(401);
    expect(errorCode(replay.body)).toBe('UNAUTHENTICATED');
    // The legitimate successor is dead too.
    const successor = await stack.h.api(stack.gateway, 'POST', '/auth/refresh', {
      body: { refreshToken: rotated.body.refreshToken },
    });
    expect(successor.status).toBe(401);
  });

  it('lets exactly one of two simultaneous refreshes with the same token win', async () => {
    const { pair } = await signUp();
    const results = await Promise.all(
      [0, 1].map(() =>
        stack.h.api(stack.gateway, 'POST', '/auth/refresh', { body: { refreshToken: pair.refreshToken } }),
      ),
    );
    expect(results.map((r) => r.status).sort()).toEqual([200, 401]);
  });

  it('refuses an unknown or expired refresh token with UNAUTHENTICATED and a malformed body with BAD_REQUEST', async () => {
    const unknown = await stack.h.api(stack.gateway, 'POST', '/auth/refresh', {
      body: { refreshToken: 'nope' },
    });
    expect(unknown.status).toBe(401);
    expect(errorCode(unknown.body)).toBe('UNAUTHENTICATED');

    const { pair } = await signUp();
    await stack.h.dataSource.query(`UPDATE refresh_tokens SET expires_at = now() - interval '1 second'`);
    const expired = await stack.h.api(stack.gateway, 'POST', '/auth/refresh', {
      body: { refreshToken: pair.refreshToken },
    });
    expect(expired.status).toBe(401);

    for (const body of [undefined, {}, { refreshToken: '' }, { refreshToken: 'x', extra: 1 }]) {
      const res = await stack.h.api(stack.gateway, 'POST', '/auth/refresh', { body });
      expect(res.status).toBe(400);
      expect(errorCode(res.body)).toBe('BAD_REQUEST');
    }
  });

  it('signs out: the refresh token stops working; signing out twice is fine', async () => {
    const { pair } = await signUp();
    const out = await stack.h.api(stack.gateway, 'POST', '/auth/sign-out', {
      body: { refreshToken: pair.refreshToken },
    });
    expect(out.status).toBe(204);
    const refresh = await stack.h.api(stack.gateway, 'POST', '/auth/refresh', {
      body: { refreshToken: pair.refreshToken },
    });
    expect(refresh.status).toBe(401);
    const twice = await stack.h.api(stack.gateway, 'POST', '/auth/sign-out', {
      body: { refreshToken: pair.refreshToken },
    });
    expect(twice.status).toBe(204);
  });

  it('refuses sign-out with an unknown token (UNAUTHENTICATED) or a malformed body (BAD_REQUEST)', async () => {
    const unknown = await stack.h.api(stack.gateway, 'POST', '/auth/sign-out', {
      body: { refreshToken: 'nope' },
    });
    expect(unknown.status).toBe(401);
    const malformed = await stack.h.api(stack.gateway, 'POST', '/auth/sign-out', { body: { token: 'x' } });
    expect(malformed.status).toBe(400);
    expect(errorCode(malformed.body)).toBe('BAD_REQUEST');
  });
});

describe('live sockets of an ended session', () => {
  async function openSocket(accessToken: string) {
    const socket = stack.h.client(stack.gateway, { token: accessToken, protocolVersion: PROTOCOL_VERSION });
    await connected(socket);
    return { socket, gone: closedBy(socket) };
  }

  it('are closed with SIGNED_OUT at sign-out; other sessions of the same person stay', async () => {
    const { email, pair } = await signUp();
    const claims = new JwtService().decode<{ sid?: string }>(pair.accessToken);
    expect(claims.sid).toMatch(/^[0-9a-f-]{36}$/);
    const other = await stack.h.api<TokenPair>(stack.gateway, 'POST', '/auth/sign-in', {
      body: { email, password: PASSWORD },
    });
    const ended = await openSocket(pair.accessToken);
    const kept = await openSocket(other.body.accessToken);

    expect(
      (
        await stack.h.api(stack.gateway, 'POST', '/auth/sign-out', {
          body: { refreshToken: pair.refreshToken },
        })
      ).status,
    ).toBe(204);
    expect(await ended.gone).toEqual({
      closed: { reason: 'SIGNED_OUT', message: expect.any(String) },
      reason: 'io server disconnect',
    });
    // How soon is a figure, printed by bench/fairness.
    // A round trip on the kept connection: had the sign-out closed it too, the
    // close would have reached it before this answer.
    expect(await request(kept.socket, 'join', { docId: randomUUID() })).toMatchObject({ ok: false });
    expect(kept.socket.connected).toBe(true);

    // The ended session's access token, though not expired, opens nothing any more.
    const me = await stack.h.api(stack.gateway, 'GET', '/me', { token: pair.accessToken });
    expect([me.status, errorCode(me.body)]).toEqual([401, 'UNAUTHENTICATED']);
    const again = stack.h.client(stack.gateway, {
      token: pair.accessToken,
      protocolVersion: PROTOCOL_VERSION,
    });
    expect((await refused(again)).data?.code).toBe('UNAUTHENTICATED');
    expect((await stack.h.api(stack.gateway, 'GET', '/me', { token: other.body.accessToken })).status).toBe(
      200,
    );
  });

  it('are closed when a replayed refresh token revokes the session', async () => {
    const { pair } = await signUp();
    const rotated = await stack.h.api<TokenPair>(stack.gateway, 'POST', '/auth/refresh', {
      body: { refreshToken: pair.refreshToken },
    });
    const live = await openSocket(rotated.body.accessToken);
    expect(
      (
        await stack.h.api(stack.gateway, 'POST', '/auth/refresh', {
          body: { refreshToken: pair.refreshToken },
        })
      ).status,
    ).toBe(401);
    expect((await live.gone).closed).toEqual({ reason: 'SIGNED_OUT', message: expect.any(String) });
  });
});
