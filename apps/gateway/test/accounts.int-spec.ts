import { randomUUID } from 'node:crypto';
import { until } from '@collab/testing';
import { PROTOCOL_VERSION, type Me, type TokenPair } from '@collab/contracts';
import { UserEntity } from '@collab/persistence';
import { JwtService } from '@nestjs/jwt';
import { GatewayHarness, JWT_SECRET, request, type RunningGateway } from './harness';

jest.setTimeout(60_000);

let h: GatewayHarness;
let gateway: RunningGateway;
let counter = 0;

const PASSWORD = 'correct horse 42';

beforeAll(async () => {
  h = await GatewayHarness.create('gw_accounts');
  gateway = await h.startGateway({ SIGN_IN_FAILURES_PER_EMAIL: '3', SIGN_IN_ATTEMPTS_PER_IP: '10000' });
});
afterAll(() => h?.close());

function freshEmail(): string {
  counter += 1;
  return `person${counter}.${Date.now()}@example.test`;
}

async function signUp(
  email = freshEmail(),
  name = 'Grace Hopper',
): Promise<{ email: string; pair: TokenPair }> {
  const res = await h.api<TokenPair>(gateway, 'POST', '/auth/sign-up', {
    body: { email, password: PASSWORD, name },
  });
  expect(res.status).toBe(201);
  return { email, pair: res.body };
}

function errorCode(body: unknown): string | undefined {
  return (body as { error?: { code?: string } }).error?.code;
}

describe('sign-up', () => {
  it('creates an account, answers a token pair and stores only an argon2id hash', async () => {
    const email = freshEmail();
    const { pair } = await signUp(`  ${email.toUpperCase()} `);
    expect(pair).toEqual({
      accessToken: expect.any(String),
      refreshToken: expect.any(String),
      accessTokenExpiresIn: 900,
    });
    const claims = new JwtService().decode<{ sub: string; iat: number; exp: number }>(pair.accessToken);
    expect(claims.exp - claims.iat).toBe(900);
    const user = await h.dataSource.getRepository(UserEntity).findOneByOrFail({ email });
    expect(user.id).toBe(claims.sub);
    expect(user.passwordHash).toMatch(/^\$argon2id\$/);
    expect(user.passwordHash).not.toContain(PASSWORD);
    const stored: { token_hash: string }[] = await h.dataSource.query(
      'SELECT token_hash FROM refresh_tokens WHERE user_id = $1',
      [user.id],
    );
    expect(stored).toHaveLength(1);
    expect(stored[0]?.token_hash).not.toBe(pair.refreshToken);
  });

  it('refuses a taken email, whatever its case, with EMAIL_TAKEN', async () => {
    const { email } = await signUp();
    const res = await h.api(gateway, 'POST', '/auth/sign-up', {
      body: { email: email.toUpperCase(), password: PASSWORD, name: 'Someone Else' },
    });
    expect(res.status).toBe(409);
    expect(errorCode(res.body)).toBe('EMAIL_TAKEN');
  });

  it('refuses a weak password with WEAK_PASSWORD and the list of problems, creating nothing', async () => {
    const email = freshEmail();
    const res = await h.api(gateway, 'POST', '/auth/sign-up', {
      body: { email, password: 'short', name: 'Ada' },
    });
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({
      error: { code: 'WEAK_PASSWORD', details: { problems: expect.arrayContaining(['too_short']) } },
    });
    expect(await h.dataSource.getRepository(UserEntity).countBy({ email })).toBe(0);
  });

  it.each([
    ['no body', undefined],
    ['a missing name', { email: 'a@example.test', password: PASSWORD }],
    ['an unknown key', { email: 'a@example.test', password: PASSWORD, name: 'A', admin: true }],
    ['a malformed email', { email: 'not-an-email', password: PASSWORD, name: 'A' }],
    ['a number as password', { email: 'a@example.test', password: 1234567890123, name: 'A' }],
  ])('refuses %s with BAD_REQUEST', async (_name, body) => {
    const res = await h.api(gateway, 'POST', '/auth/sign-up', { body });
    expect(res.status).toBe(400);
    expect(errorCode(res.body)).toBe('BAD_REQUEST');
    expect(JSON.stringify(res.body)).not.toMatch(/at .*\.ts:\d+/);
  });
});

describe('sign-in', () => {
  it('answers a token pair that opens REST routes and sockets', async () => {
    const { email } = await signUp();
    const res = await h.api<TokenPair>(gateway, 'POST', '/auth/sign-in', {
      body: { email: email.toUpperCase(), password: PASSWORD },
    });
    expect(res.status).toBe(200);
    const me = await h.api<Me>(gateway, 'GET', '/me', { token: res.body.accessToken });
    expect(me.status).toBe(200);
    expect(me.body).toEqual({
      id: expect.any(String),
      email,
      name: 'Grace Hopper',
      color: expect.any(String),
    });

    const socket = h.client(gateway, { token: res.body.accessToken, protocolVersion: PROTOCOL_VERSION });
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', resolve);
      socket.once('connect_error', reject);
    });
    socket.disconnect();
  });

  it('answers the same INVALID_CREDENTIALS for a wrong password and an unknown email', async () => {
    const { email } = await signUp();
    const wrong = await h.api(gateway, 'POST', '/auth/sign-in', { body: { email, password: 'nope nope 1' } });
    const unknown = await h.api(gateway, 'POST', '/auth/sign-in', {
      body: { email: freshEmail(), password: PASSWORD },
    });
    for (const res of [wrong, unknown]) {
      expect(res.status).toBe(401);
      expect(res.body).toEqual({
        error: { code: 'INVALID_CREDENTIALS', message: 'Wrong email or password.' },
      });
    }
  });

  it.each([
    ['no body', undefined],
    ['a missing password', { email: 'a@example.test' }],
    ['an unknown key', { email: 'a@example.test', password: PASSWORD, remember: true }],
  ])('refuses %s with BAD_REQUEST', async (_name, body) => {
    const res = await h.api(gateway, 'POST', '/auth/sign-in', { body });
    expect(res.status).toBe(400);
    expect(errorCode(res.body)).toBe('BAD_REQUEST');
  });

  it('slows a guesser at one address, twice as long each time, says how long, and never locks the owner out', async () => {
    const proxied = await h.startGateway({
      TRUST_PROXY: '1',
      SIGN_IN_FAILURES_PER_EMAIL: '3',
      SIGN_IN_ATTEMPTS_PER_IP: '10000',
    });
    const { email } = await signUp();
    const other = await signUp();
    const signIn = (address: string, password: string, who = email) =>
      h.api(proxied, 'POST', '/auth/sign-in', {
        body: { email: who, password },
        headers: { 'x-forwarded-for': address },
      });
    const guesser = '198.51.100.7';
    for (let i = 0; i < 3; i++)
      expect(errorCode((await signIn(guesser, `wrong pass ${i}`)).body)).toBe('INVALID_CREDENTIALS');
    // The third wrong password makes this address wait 2 s for this email, even with the right one.
    const waiting = await signIn(guesser, PASSWORD);
    expect(waiting.status).toBe(429);
    expect(waiting.body).toMatchObject({
      error: { code: 'RATE_LIMITED', details: { retryAfterSeconds: 2 } },
    });
    expect((waiting.body as { error: { message: string } }).error.message).toContain(
      'Try again in 2 seconds.',
    );
    // The owner, at another address, is not locked out; another email at the guesser's address neither.
    expect((await signIn('203.0.113.20', PASSWORD)).status).toBe(200);
    expect((await signIn(guesser, PASSWORD, other.email)).status).toBe(200);
    // Once the wait is over, the next wrong password doubles it.
    let next = await signIn(guesser, 'wrong pass again');
    await until(
      async () => next.status !== 429 || (next = await signIn(guesser, 'wrong pass again')).status !== 429,
      { what: 'the 2 s wait to end', everyMs: 100 },
    );
    expect(errorCode(next.body)).toBe('INVALID_CREDENTIALS');
    expect((await signIn(guesser, PASSWORD)).body).toMatchObject({
      error: { code: 'RATE_LIMITED', details: { retryAfterSeconds: 4 } },
    });
  });

  it('slows, without locking, an email guessed at from many addresses', async () => {
    const proxied = await h.startGateway({
      TRUST_PROXY: '1',
      SIGN_IN_FAILURES_PER_EMAIL: '3',
      SIGN_IN_ATTEMPTS_PER_IP: '10000',
    });
    const { email } = await signUp();
    const signIn = (address: string, password: string) =>
      h.api(proxied, 'POST', '/auth/sign-in', {
        body: { email, password },
        headers: { 'x-forwarded-for': address },
      });
    // Ten times the free failures, one per address: no address reaches its own limit.
    for (let i = 0; i < 30; i++) {
      expect(errorCode((await signIn(`198.51.100.${i + 1}`, 'wrong pass')).body)).toBe('INVALID_CREDENTIALS');
    }
    const slowed = await signIn('203.0.113.99', PASSWORD);
    expect(slowed.body).toMatchObject({ error: { code: 'RATE_LIMITED', details: { retryAfterSeconds: 2 } } });
  });

  it('clears the failure count on success, so its owner is not locked out by old typos', async () => {
    const { email } = await signUp();
    for (let round = 0; round < 2; round++) {
      for (let i = 0; i < 2; i++) {
        await h.api(gateway, 'POST', '/auth/sign-in', { body: { email, password: 'wrong pass x' } });
      }
      const ok = await h.api(gateway, 'POST', '/auth/sign-in', { body: { email, password: PASSWORD } });
      expect(ok.status).toBe(200);
    }
  });

  it('limits attempts per IP across emails and across gateways (behind a trusted proxy)', async () => {
    // Two gateways behind one proxy hop, with a small IP budget; the client IP comes from X-Forwarded-For.
    const overrides = { TRUST_PROXY: '1', SIGN_IN_ATTEMPTS_PER_IP: '4' };
    const a = await h.startGateway(overrides);
    const b = await h.startGateway(overrides);
    const attempt = (target: RunningGateway, ip: string) =>
      h.api(target, 'POST', '/auth/sign-in', {
        body: { email: freshEmail(), password: PASSWORD },
        headers: { 'x-forwarded-for': ip },
      });
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++) statuses.push((await attempt(i % 2 === 0 ? a : b, '203.0.113.7')).status);
    expect(statuses).toEqual([401, 401, 401, 401, 429, 429]);
    // Another address is not affected.
    expect((await attempt(a, '203.0.113.8')).status).toBe(401);
  });
});

describe('refresh and sign-out', () => {
  it('rotates the refresh token; the new pair works', async () => {
    const { pair } = await signUp();
    const res = await h.api<TokenPair>(gateway, 'POST', '/auth/refresh', {
      body: { refreshToken: pair.refreshToken },
    });
    expect(res.status).toBe(200);
    expect(res.body.refreshToken).not.toBe(pair.refreshToken);
    expect((await h.api(gateway, 'GET', '/me', { token: res.body.accessToken })).status).toBe(200);
    const again = await h.api<TokenPair>(gateway, 'POST', '/auth/refresh', {
      body: { refreshToken: res.body.refreshToken },
    });
    expect(again.status).toBe(200);
  });

  it('treats reuse of a rotated token as theft and revokes the whole session', async () => {
    const { pair } = await signUp();
    const rotated = await h.api<TokenPair>(gateway, 'POST', '/auth/refresh', {
      body: { refreshToken: pair.refreshToken },
    });
    expect(rotated.status).toBe(200);
    const replay = await h.api(gateway, 'POST', '/auth/refresh', {
      body: { refreshToken: pair.refreshToken },
    });
    expect(replay.status).toBe(401);
    expect(errorCode(replay.body)).toBe('UNAUTHENTICATED');
    // The legitimate successor is dead too.
    const successor = await h.api(gateway, 'POST', '/auth/refresh', {
      body: { refreshToken: rotated.body.refreshToken },
    });
    expect(successor.status).toBe(401);
  });

  it('lets exactly one of two simultaneous refreshes with the same token win', async () => {
    const { pair } = await signUp();
    const results = await Promise.all(
      [0, 1].map(() =>
        h.api(gateway, 'POST', '/auth/refresh', { body: { refreshToken: pair.refreshToken } }),
      ),
    );
    expect(results.map((r) => r.status).sort()).toEqual([200, 401]);
  });

  it('refuses an unknown or expired refresh token with UNAUTHENTICATED and a malformed body with BAD_REQUEST', async () => {
    const unknown = await h.api(gateway, 'POST', '/auth/refresh', { body: { refreshToken: 'nope' } });
    expect(unknown.status).toBe(401);
    expect(errorCode(unknown.body)).toBe('UNAUTHENTICATED');

    const { pair } = await signUp();
    await h.dataSource.query(`UPDATE refresh_tokens SET expires_at = now() - interval '1 second'`);
    const expired = await h.api(gateway, 'POST', '/auth/refresh', {
      body: { refreshToken: pair.refreshToken },
    });
    expect(expired.status).toBe(401);

    for (const body of [undefined, {}, { refreshToken: '' }, { refreshToken: 'x', extra: 1 }]) {
      const res = await h.api(gateway, 'POST', '/auth/refresh', { body });
      expect(res.status).toBe(400);
      expect(errorCode(res.body)).toBe('BAD_REQUEST');
    }
  });

  it('signs out: the refresh token stops working; signing out twice is fine', async () => {
    const { pair } = await signUp();
    const out = await h.api(gateway, 'POST', '/auth/sign-out', { body: { refreshToken: pair.refreshToken } });
    expect(out.status).toBe(204);
    const refresh = await h.api(gateway, 'POST', '/auth/refresh', {
      body: { refreshToken: pair.refreshToken },
    });
    expect(refresh.status).toBe(401);
    const twice = await h.api(gateway, 'POST', '/auth/sign-out', {
      body: { refreshToken: pair.refreshToken },
    });
    expect(twice.status).toBe(204);
  });

  it('refuses sign-out with an unknown token (UNAUTHENTICATED) or a malformed body (BAD_REQUEST)', async () => {
    const unknown = await h.api(gateway, 'POST', '/auth/sign-out', { body: { refreshToken: 'nope' } });
    expect(unknown.status).toBe(401);
    const malformed = await h.api(gateway, 'POST', '/auth/sign-out', { body: { token: 'x' } });
    expect(malformed.status).toBe(400);
    expect(errorCode(malformed.body)).toBe('BAD_REQUEST');
  });
});

describe('live sockets of an ended session', () => {
  async function openSocket(accessToken: string) {
    const socket = h.client(gateway, { token: accessToken, protocolVersion: PROTOCOL_VERSION });
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', resolve);
      socket.once('connect_error', reject);
    });
    let closed: unknown;
    socket.on('session:closed', (payload: unknown) => (closed = payload));
    const gone = new Promise<{ closed: unknown; reason: string }>((resolve) =>
      socket.once('disconnect', (reason) => resolve({ closed, reason })),
    );
    return { socket, gone };
  }

  it('are closed with SIGNED_OUT at sign-out; other sessions of the same person stay', async () => {
    const { email, pair } = await signUp();
    const claims = new JwtService().decode<{ sid?: string }>(pair.accessToken);
    expect(claims.sid).toMatch(/^[0-9a-f-]{36}$/);
    const other = await h.api<TokenPair>(gateway, 'POST', '/auth/sign-in', {
      body: { email, password: PASSWORD },
    });
    const ended = await openSocket(pair.accessToken);
    const kept = await openSocket(other.body.accessToken);

    expect(
      (await h.api(gateway, 'POST', '/auth/sign-out', { body: { refreshToken: pair.refreshToken } })).status,
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
    const me = await h.api(gateway, 'GET', '/me', { token: pair.accessToken });
    expect([me.status, errorCode(me.body)]).toEqual([401, 'UNAUTHENTICATED']);
    const again = h.client(gateway, { token: pair.accessToken, protocolVersion: PROTOCOL_VERSION });
    const refused = await new Promise<{ data?: { code: string } }>((resolve, reject) => {
      again.once('connect', () => reject(new Error('connected')));
      again.once('connect_error', resolve);
    });
    expect(refused.data?.code).toBe('UNAUTHENTICATED');
    expect((await h.api(gateway, 'GET', '/me', { token: other.body.accessToken })).status).toBe(200);
  });

  it('are closed when a replayed refresh token revokes the session', async () => {
    const { pair } = await signUp();
    const rotated = await h.api<TokenPair>(gateway, 'POST', '/auth/refresh', {
      body: { refreshToken: pair.refreshToken },
    });
    const live = await openSocket(rotated.body.accessToken);
    expect(
      (await h.api(gateway, 'POST', '/auth/refresh', { body: { refreshToken: pair.refreshToken } })).status,
    ).toBe(401);
    expect((await live.gone).closed).toEqual({ reason: 'SIGNED_OUT', message: expect.any(String) });
  });
});

describe('GET /me', () => {
  it('refuses no token, a bad token and an expired token', async () => {
    const none = await h.api(gateway, 'GET', '/me');
    expect(none.status).toBe(401);
    expect(errorCode(none.body)).toBe('UNAUTHENTICATED');
    const forged = new JwtService().sign(
      { sub: '5b0c6a5e-7d4c-4a5e-9c1e-3f6f1f6f1f6f' },
      { secret: 'z'.repeat(40) },
    );
    expect(errorCode((await h.api(gateway, 'GET', '/me', { token: forged })).body)).toBe('UNAUTHENTICATED');
    const { pair } = await signUp();
    const sub = new JwtService().decode<{ sub: string }>(pair.accessToken).sub;
    const expired = await h.api(gateway, 'GET', '/me', { token: h.token(sub, -5) });
    expect(expired.status).toBe(401);
    expect(errorCode(expired.body)).toBe('TOKEN_EXPIRED');
  });

  it('answers UNAUTHENTICATED for a valid token of a deleted account', async () => {
    const { pair } = await signUp();
    const sub = new JwtService().decode<{ sub: string }>(pair.accessToken).sub;
    await h.dataSource.getRepository(UserEntity).delete({ id: sub });
    const res = await h.api(gateway, 'GET', '/me', {
      token: new JwtService().sign({ sub }, { secret: JWT_SECRET }),
    });
    expect(res.status).toBe(401);
    expect(errorCode(res.body)).toBe('UNAUTHENTICATED');
  });
});
