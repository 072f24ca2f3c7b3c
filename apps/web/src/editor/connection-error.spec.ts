import { forGood, sessionClosedError } from '@collab/client';
import { SessionCloseReason, wireError } from '@collab/contracts';
import { errorAfterStatus, reconnectsWhenOnline } from './connection-error';

const signedOut = sessionClosedError({ reason: SessionCloseReason.SignedOut, message: 'raw' });

describe('errorAfterStatus', () => {
  it('clears a connection error once the document is connected (joined) again', () => {
    const refused = wireError('TOO_MANY_SOCKETS');
    expect(errorAfterStatus(refused, 'connected')).toBeNull();
    expect(errorAfterStatus(signedOut, 'connected')).toBeNull();
    expect(errorAfterStatus(null, 'connected')).toBeNull();
  });

  it('keeps it while the document is not connected', () => {
    for (const status of ['offline', 'reconnecting', 'connecting'] as const) {
      expect(errorAfterStatus(signedOut, status)).toBe(signedOut);
    }
  });
});

describe('reconnectsWhenOnline', () => {
  it('does not reconnect a session the server closed for good', () => {
    expect(reconnectsWhenOnline(signedOut)).toBe(false);
    for (const reason of [SessionCloseReason.TooManySockets, SessionCloseReason.ProtocolMismatch]) {
      expect(reconnectsWhenOnline(sessionClosedError({ reason, message: 'raw' }))).toBe(false);
    }
  });

  it('does not reconnect after a handshake the SDK ended for good (the app’s address or version)', () => {
    for (const code of ['ORIGIN_NOT_ALLOWED', 'PROTOCOL_MISMATCH'] as const) {
      expect(reconnectsWhenOnline(forGood(wireError(code)))).toBe(false);
    }
  });

  it('reconnects after no error, a handshake refusal, or a close that asks for a reconnect', () => {
    expect(reconnectsWhenOnline(null)).toBe(true);
    expect(reconnectsWhenOnline(wireError('UNAUTHENTICATED'))).toBe(true);
    expect(reconnectsWhenOnline(wireError('TOO_MANY_SOCKETS'))).toBe(true);
    expect(
      reconnectsWhenOnline(sessionClosedError({ reason: SessionCloseReason.ServerShutdown, message: 'x' })),
    ).toBe(true);
  });
});
