import { JwtService } from '@nestjs/jwt';
import { UserEntity } from '@collab/persistence';
import { accountsGateway, freshEmail, PASSWORD } from './account-tools';
import { errorCode, JWT_SECRET } from './harness';

jest.setTimeout(60_000);

const stack = accountsGateway('gw_accounts');
const { signUp } = stack;

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
    const user = await stack.h.dataSource.getRepository(UserEntity).findOneByOrFail({ email });
    expect(user.id).toBe(claims.sub);
    expect(user.passwordHash).toMatch(/^\$argon2id\$/);
    expect(user.passwordHash).not.toContain(PASSWORD);
    const stored: { token_hash: string }[] = await stack.h.dataSource.query(
      'SELECT token_hash FROM refresh_tokens WHERE user_id = $1',
      [user.id],
    );
    expect(stored).toHaveLength(1);
    expect(stored[0]?.token_hash).not.toBe(pair.refreshToken);
  });

  it('refuses a taken email, whatever its case, with EMAIL_TAKEN', async () => {
    const { email } = await signUp();
    const res = await stack.h.api(stack.gateway, 'POST', '/auth/sign-up', {
      body: { email: email.toUpperCase(), password: PASSWORD, name: 'Someone Else' },
    });
    expect(res.status).toBe(409);
    expect(errorCode(res.body)).toBe('EMAIL_TAKEN');
  });

  it('refuses a weak password with WEAK_PASSWORD and the list of problems, creating nothing', async () => {
    const email = freshEmail();
    const res = await stack.h.api(stack.gateway, 'POST', '/auth/sign-up', {
      body: { email, password: 'short', name: 'Ada' },
    });
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({
      error: { code: 'WEAK_PASSWORD', details: { problems: expect.arrayContaining(['too_short']) } },
    });
    expect(await stack.h.dataSource.getRepository(UserEntity).countBy({ email })).toBe(0);
  });

  it.each([
    ['no body', undefined],
    ['a missing name', { email: 'a@example.test', password: PASSWORD }],
    ['an unknown key', { email: 'a@example.test', password: PASSWORD, name: 'A', admin: true }],
    ['a malformed email', { email: 'not-an-email', password: PASSWORD, name: 'A' }],
    ['a number as password', { email: 'a@example.test', password: 1234567890123, name: 'A' }],
  ])('refuses %s with BAD_REQUEST', async (_name, body) => {
    const res = await stack.h.api(stack.gateway, 'POST', '/auth/sign-up', { body });
    expect(res.status).toBe(400);
    expect(errorCode(res.body)).toBe('BAD_REQUEST');
    expect(JSON.stringify(res.body)).not.toMatch(/at .*\.ts:\d+/);
  });
});

describe('GET /me', () => {
  it('refuses no token, a bad token and an expired token', async () => {
    const none = await stack.h.api(stack.gateway, 'GET', '/me');
    expect(none.status).toBe(401);
    expect(errorCode(none.body)).toBe('UNAUTHENTICATED');
    const forged = new JwtService().sign(
      { sub: '5b0c6a5e-7d4c-4a5e-9c1e-3f6f1f6f1f6f' },
      { secret: 'z'.repeat(40) },
    );
    expect(errorCode((await stack.h.api(stack.gateway, 'GET', '/me', { token: forged })).body)).toBe(
      'UNAUTHENTICATED',
    );
    const { pair } = await signUp();
    const sub = new JwtService().decode<{ sub: string }>(pair.accessToken).sub;
    const expired = await stack.h.api(stack.gateway, 'GET', '/me', { token: stack.h.token(sub, -5) });
    expect(expired.status).toBe(401);
    expect(errorCode(expired.body)).toBe('TOKEN_EXPIRED');
  });

  it('answers UNAUTHENTICATED for a valid token of a deleted account', async () => {
    const { pair } = await signUp();
    const sub = new JwtService().decode<{ sub: string }>(pair.accessToken).sub;
    await stack.h.dataSource.getRepository(UserEntity).delete({ id: sub });
    const res = await stack.h.api(stack.gateway, 'GET', '/me', {
      token: new JwtService().sign({ sub }, { secret: JWT_SECRET }),
    });
    expect(res.status).toBe(401);
    expect(errorCode(res.body)).toBe('UNAUTHENTICATED');
  });
});
