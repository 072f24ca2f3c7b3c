import { PROTOCOL_VERSION, isSupportedProtocolVersion } from '../protocol-version';
import { ConnectErrorData, parseHandshakeAuth } from './handshake';

describe('parseHandshakeAuth', () => {
  it('accepts a token and the current protocol version', () => {
    expect(parseHandshakeAuth({ token: 'jwt', protocolVersion: PROTOCOL_VERSION })).toEqual({
      ok: true,
      value: { token: 'jwt', protocolVersion: PROTOCOL_VERSION },
    });
  });

  it('strips keys socket.io-client adds itself', () => {
    const result = parseHandshakeAuth({
      token: 'jwt',
      protocolVersion: PROTOCOL_VERSION,
      pid: 'p',
      offset: 'o',
    });
    expect(result).toEqual({ ok: true, value: { token: 'jwt', protocolVersion: PROTOCOL_VERSION } });
  });

  it('keeps the session a reconnecting client had, and refuses a malformed one with BAD_REQUEST', () => {
    const auth = { token: 'jwt', protocolVersion: PROTOCOL_VERSION };
    expect(parseHandshakeAuth({ ...auth, previousSessionId: 'Xy_12-ab' })).toEqual({
      ok: true,
      value: { ...auth, previousSessionId: 'Xy_12-ab' },
    });
    for (const previousSessionId of ['', 42, 'x'.repeat(129), null]) {
      const result = parseHandshakeAuth({ ...auth, previousSessionId });
      expect(!result.ok && result.error.code).toBe('BAD_REQUEST');
    }
    // A bad token stays UNAUTHENTICATED whatever else is wrong.
    const both = parseHandshakeAuth({ token: '', protocolVersion: PROTOCOL_VERSION, previousSessionId: 42 });
    expect(!both.ok && both.error.code).toBe('UNAUTHENTICATED');
  });

  it('refuses another or a missing protocol version with PROTOCOL_MISMATCH', () => {
    for (const auth of [
      { token: 'jwt', protocolVersion: PROTOCOL_VERSION + 1 },
      { token: 'jwt', protocolVersion: String(PROTOCOL_VERSION) },
      { token: 'jwt' },
      undefined,
    ]) {
      const result = parseHandshakeAuth(auth);
      expect(result.ok).toBe(false);
      if (result.ok) continue;
      expect(result.error.code).toBe('PROTOCOL_MISMATCH');
      expect(result.error.details).toMatchObject({ expected: PROTOCOL_VERSION });
    }
  });

  it('refuses a missing, empty or non-string token with UNAUTHENTICATED', () => {
    for (const token of [undefined, '', 42, { sub: 'x' }, 'x'.repeat(5_000)]) {
      const result = parseHandshakeAuth({ token, protocolVersion: PROTOCOL_VERSION });
      expect(!result.ok && result.error.code).toBe('UNAUTHENTICATED');
    }
  });

  it('never throws on hostile input', () => {
    const hostile = new Proxy(
      {},
      {
        get() {
          throw new Error('boom');
        },
      },
    );
    const result = parseHandshakeAuth(hostile);
    expect(!result.ok && result.error.code).toBe('UNAUTHENTICATED');
  });

  it('connect errors carry a wire error', () => {
    expect(ConnectErrorData.safeParse({ code: 'TOKEN_EXPIRED', message: 'x' }).success).toBe(true);
    expect(isSupportedProtocolVersion(PROTOCOL_VERSION)).toBe(true);
    expect(isSupportedProtocolVersion(PROTOCOL_VERSION - 1)).toBe(false);
  });
});
