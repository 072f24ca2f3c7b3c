import { until } from '@collab/testing';
import { PROTOCOL_VERSION, type Me, type TokenPair } from '@collab/contracts';
import { accountsGateway, freshEmail, PASSWORD } from './account-tools';
import { connected, errorCode, type RunningGateway } from './harness';

jest.setTimeout(60_000);

const stack = accountsGateway('gw_sign_in');
const { signUp } = stack;

describe('sign-in', () => {
  it('answers a token pair that opens REST routes and sockets', async () => {
    const { email } = await signUp();
    const res = await stack.h.api<TokenPair>(stack.gateway, 'POST', '/auth/sign-in', {
      body: { email: email.toUpperCase(), password: PASSWORD },
    });
    expect(res.status).toBe(200);
    const me = await stack.h.api<Me>(stack.gateway, 'GET', '/me', { token: res.body.accessToken });
    expect(me.status).toBe(200);
    expect(me.body).toEqual({
      id: expect.any(String),
      email,
      name: 'Grace Hopper',
      color: expect.any(String),
    });

    const socket = stack.h.client(stack.gateway, {
      token: res.body.accessToken,
      protocolVersion: PROTOCOL_VERSION,
    });
    await connected(socket);
    socket.disconnect();
  });

  it('answers the same INVALID_CREDENTIALS for a wrong password and an unknown email', async () => {
    const { email } = await signUp();
    const wrong = await stack.h.api(stack.gateway, 'POST', '/auth/sign-in', {
      body: { email, password: 'nope nope 1' },
    });
    const unknown = await stack.h.api(stack.gateway, 'POST', '/auth/sign-in', {
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
    const res = await stack.h.api(stack.gateway, 'POST', '/auth/sign-in', { body });
    expect(res.status).toBe(400);
    expect(errorCode(res.body)).toBe('BAD_REQUEST');
  });

  it('slows a guesser at one address, twice as long each time, says how long, and never locks the owner out', async () => {
    const proxied = await stack.h.startGateway({
      TRUST_PROXY: '1',
      SIGN_IN_FAILURES_PER_EMAIL: '3',
      SIGN_IN_ATTEMPTS_PER_IP: '10000',
    });
    const { email } = await signUp();
    const other = await signUp();
    const signIn = (address: string, password: string, who = email) =>
      stack.h.api(proxied, 'POST', '/auth/sign-in', {
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
    const proxied = await stack.h.startGateway({
      TRUST_PROXY: '1',
      SIGN_IN_FAILURES_PER_EMAIL: '3',
      SIGN_IN_ATTEMPTS_PER_IP: '10000',
    });
    const { email } = await signUp();
    const signIn = (address: string, password: string) =>
      stack.h.api(proxied, 'POST', '/auth/sign-in', {
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
        await stack.h.api(stack.gateway, 'POST', '/auth/sign-in', {
          body: { email, password: 'wrong pass x' },
        });
      }
      const ok = await stack.h.api(stack.gateway, 'POST', '/auth/sign-in', {
        body: { email, password: PASSWORD },
      });
      expect(ok.status).toBe(200);
    }
  });

  it('limits attempts per IP across emails and across gateways (behind a trusted proxy)', async () => {
    // Two gateways behind one proxy hop, with a small IP budget; the client IP comes from X-Forwarded-For.
    const overrides = { TRUST_PROXY: '1', SIGN_IN_ATTEMPTS_PER_IP: '4' };
    const a = await stack.h.startGateway(overrides);
    const b = await stack.h.startGateway(overrides);
    const attempt = (target: RunningGateway, ip: string) =>
      stack.h.api(target, 'POST', '/auth/sign-in', {
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
