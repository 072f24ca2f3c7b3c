import { forGood, sessionClosedError } from '@collab/client';
import { SessionCloseReason, wireError } from '@collab/contracts';
import { closedForGood } from './session-closed';

const closed = (reason: SessionCloseReason) => sessionClosedError({ reason, message: 'raw' });

describe('closedForGood', () => {
  it('names what the person must do after each close the server means for good', () => {
    expect(closedForGood(closed(SessionCloseReason.SignedOut))).toBe('sign_in');
    expect(closedForGood(closed(SessionCloseReason.TooManySockets))).toBe('stop');
    expect(closedForGood(closed(SessionCloseReason.ProtocolMismatch))).toBe('reload');
  });

  it('is "refused" (the error’s own words) after a handshake the SDK ended for good', () => {
    expect(closedForGood(forGood(wireError('ORIGIN_NOT_ALLOWED')))).toBe('refused');
    expect(closedForGood(forGood(wireError('PROTOCOL_MISMATCH', 'x', { expected: 2, received: 1 })))).toBe(
      'refused',
    );
  });

  it('is null for closes that reconnect by themselves', () => {
    expect(closedForGood(closed(SessionCloseReason.TokenExpired))).toBeNull();
    expect(closedForGood(closed(SessionCloseReason.RateLimited))).toBeNull();
    expect(closedForGood(closed(SessionCloseReason.SlowConsumer))).toBeNull();
    expect(closedForGood(closed(SessionCloseReason.ServerShutdown))).toBeNull();
  });

  it('is null for errors the SDK did not end the connection with (a handshake or join refusal that may pass), and for no error', () => {
    expect(closedForGood(wireError('UNAUTHENTICATED'))).toBeNull();
    expect(closedForGood(wireError('TOO_MANY_SOCKETS'))).toBeNull();
    expect(closedForGood(wireError('PROTOCOL_MISMATCH', 'x', { reason: 'NOT_A_REASON' }))).toBeNull();
    expect(closedForGood(null)).toBeNull();
  });
});
