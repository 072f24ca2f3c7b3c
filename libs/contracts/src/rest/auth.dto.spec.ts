import { USER_ID, expectAccepted, expectRejected, fromWire } from '../../test/expect-parse';
import {
  Email,
  Me,
  RefreshRequest,
  SignInRequest,
  SignOutRequest,
  SignUpRequest,
  TokenPair,
} from './auth.dto';

describe('auth DTOs', () => {
  const signUp = { email: 'ada@example.com', password: 'correct horse 9', name: 'Ada Lovelace' };

  it('normalizes emails: trimmed and lower-cased', () => {
    expect(expectAccepted(Email, '  Ada.Lovelace@Example.COM ')).toBe('ada.lovelace@example.com');
    expect(expectAccepted(SignUpRequest, { ...signUp, email: 'ADA@example.com', name: '  Ada  ' })).toEqual({
      ...signUp,
      name: 'Ada',
    });
  });

  it.each([
    ['a missing email', { ...signUp, email: undefined }, 'email'],
    ['a malformed email', { ...signUp, email: 'ada' }, 'email'],
    ['an oversize email', { ...signUp, email: `${'a'.repeat(250)}@x.io` }, 'email'],
    ['a missing password', { ...signUp, password: undefined }, 'password'],
    ['an empty password', { ...signUp, password: '' }, 'password'],
    ['a huge password', { ...signUp, password: 'x'.repeat(1_025) }, 'password'],
    ['a blank name', { ...signUp, name: '   ' }, 'name'],
    ['a name with control characters', { ...signUp, name: 'Ada\u0000' }, 'name'],
    ['an extra key', { ...signUp, role: 'admin' }, '(root)'],
  ])('sign-up rejects %s', (_name, input, path) => {
    expectRejected(SignUpRequest, input, { path });
  });

  it('sign-up rejects a __proto__ key arriving through JSON.parse', () => {
    expectRejected(
      SignUpRequest,
      fromWire(`{"email":"a@b.co","password":"x","name":"A","__proto__":{"isAdmin":true}}`),
      {
        path: '(root)',
      },
    );
  });

  it('sign-in, refresh and sign-out take exactly their fields', () => {
    expectAccepted(SignInRequest, { email: 'a@b.co', password: 'x' });
    expectRejected(SignInRequest, { email: 'a@b.co' }, { path: 'password' });
    expectAccepted(RefreshRequest, { refreshToken: 'r' });
    expectRejected(RefreshRequest, { refreshToken: '' }, { path: 'refreshToken' });
    expectAccepted(SignOutRequest, { refreshToken: 'r' });
    expectRejected(SignOutRequest, { refreshToken: 'r', all: true }, { path: '(root)' });
  });

  it('describes token pairs and the signed-in person', () => {
    expectAccepted(TokenPair, { accessToken: 'a', refreshToken: 'r', accessTokenExpiresIn: 900 });
    expectRejected(
      TokenPair,
      { accessToken: 'a', refreshToken: 'r', accessTokenExpiresIn: 0 },
      {
        path: 'accessTokenExpiresIn',
      },
    );
    expectAccepted(Me, { id: USER_ID, email: 'a@b.co', name: 'A', color: '#00ff00' });
    expectRejected(Me, { id: USER_ID, email: 'a@b.co', name: 'A', color: 'green' }, { path: 'color' });
  });
});
