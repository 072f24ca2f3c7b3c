import { forGood, sessionClosedError } from '@collab/client';
import { SessionCloseReason, wireError } from '@collab/contracts';
import { describeError, ERROR_TEXT } from '../errors/messages';
import { saveStatusLabel } from './save-status';

const closed = (reason: SessionCloseReason) => sessionClosedError({ reason, message: 'raw' });

describe('saveStatusLabel', () => {
  it('says "All changes saved" only when connected with nothing unsaved', () => {
    expect(saveStatusLabel('connected', 0)).toBe('All changes saved');
    expect(saveStatusLabel('connected', 2)).toBe('Saving…');
  });

  it('counts the edits that will be sent when offline or reconnecting', () => {
    expect(saveStatusLabel('offline', 1)).toBe('Offline: 1 edit will be sent when you reconnect');
    expect(saveStatusLabel('offline', 37)).toBe('Offline: 37 edits will be sent when you reconnect');
    expect(saveStatusLabel('offline', 0)).toBe('Offline');
    expect(saveStatusLabel('reconnecting', 0)).toBe('Reconnecting…');
    expect(saveStatusLabel('reconnecting', 4)).toBe('Reconnecting… 4 edits not saved yet');
    expect(saveStatusLabel('connecting', 0)).toBe('Connecting…');
    expect(saveStatusLabel('connecting', 1)).toBe('Connecting… 1 edit not saved yet');
  });

  it('after a close for good, says what to do and that the edits wait on this device', () => {
    const signedOut = closed(SessionCloseReason.SignedOut);
    expect(saveStatusLabel('offline', 3, signedOut)).toBe(
      'Signed out: 3 edits kept on this device, sent after you sign in again',
    );
    expect(saveStatusLabel('offline', 0, signedOut)).toBe('Signed out: sign in again to continue');
    // The same act as the error sentence shown beside it.
    expect(describeError(signedOut)).toBe('You were signed out. Sign in again to continue.');
    expect(saveStatusLabel('offline', 1, closed(SessionCloseReason.TooManySockets))).toBe(
      'Not connected: 1 edit kept on this device, sent after you close other tabs and reload',
    );
    expect(describeError(closed(SessionCloseReason.TooManySockets))).toMatch(/Close some and reload/);
    expect(saveStatusLabel('offline', 2, closed(SessionCloseReason.ProtocolMismatch))).toBe(
      'Not connected: 2 edits kept on this device, sent after you reload the page',
    );
    expect(describeError(closed(SessionCloseReason.ProtocolMismatch))).toMatch(/Reload the page/);
    expect(saveStatusLabel('offline', 0, closed(SessionCloseReason.ProtocolMismatch))).toBe(
      'Not connected: reload the page to continue',
    );
  });

  it('after a handshake refused for good, says the error’s words and that the edits wait on this device', () => {
    const outdated = forGood(wireError('PROTOCOL_MISMATCH', 'raw', { expected: 2, received: 1 }));
    expect(saveStatusLabel('offline', 0, outdated)).toBe(
      'Not connected: This app is out of date. Reload the page.',
    );
    expect(saveStatusLabel('offline', 2, outdated)).toBe(
      'Not connected: 2 edits kept on this device. This app is out of date. Reload the page.',
    );
    const foreign = forGood(wireError('ORIGIN_NOT_ALLOWED', 'raw'));
    expect(saveStatusLabel('offline', 1, foreign)).toBe(
      `Not connected: 1 edit kept on this device. ${ERROR_TEXT.ORIGIN_NOT_ALLOWED}`,
    );
    expect(ERROR_TEXT.ORIGIN_NOT_ALLOWED).toMatch(/ALLOWED_ORIGINS/);
    // Whatever the socket reported last, or the browser says: it will not reconnect.
    for (const status of ['offline', 'reconnecting', 'connecting'] as const) {
      for (const error of [outdated, foreign]) {
        expect(saveStatusLabel(status, 3, error)).not.toMatch(/reconnect|Reconnecting|Connecting/i);
        expect(saveStatusLabel(status, 3, error)).toContain(describeError(error));
      }
    }
  });

  it('never says "when you reconnect" after a close for good, but does after any other error', () => {
    for (const reason of [
      SessionCloseReason.SignedOut,
      SessionCloseReason.TooManySockets,
      SessionCloseReason.ProtocolMismatch,
    ]) {
      expect(saveStatusLabel('offline', 5, closed(reason))).not.toMatch(/reconnect/);
    }
    expect(saveStatusLabel('offline', 5, wireError('UNAUTHENTICATED'))).toBe(
      'Offline: 5 edits will be sent when you reconnect',
    );
    expect(saveStatusLabel('reconnecting', 1, closed(SessionCloseReason.ServerShutdown))).toBe(
      'Reconnecting… 1 edit not saved yet',
    );
    // Connected again: the close no longer holds (the session clears the error then anyway).
    expect(saveStatusLabel('connected', 0, closed(SessionCloseReason.SignedOut))).toBe('All changes saved');
  });
});
