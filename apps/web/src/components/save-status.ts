import type { ConnectionStatus } from '@collab/client';
import type { WireError } from '@collab/contracts';
import { describeError } from '../errors/messages';
import { type ClosedForGood, closedForGood, REFUSED_FOR_GOOD } from '../errors/session-closed';

const edits = (n: number) => `${n} ${n === 1 ? 'edit' : 'edits'}`;

/**
 * After a close for good nothing reconnects until the person acts, so the
 * line says what to do (as the error sentence beside it does) and where the
 * unsent edits are: in this device's outbox, sent by the next visit that
 * connects (after signing in, closing tabs, or reloading).
 */
const CLOSED_FOR_GOOD: {
  readonly [A in Exclude<ClosedForGood, typeof REFUSED_FOR_GOOD>]: {
    readonly head: string;
    readonly then: string;
  };
} = {
  sign_in: { head: 'Signed out', then: 'sign in again' },
  stop: { head: 'Not connected', then: 'close other tabs and reload' },
  reload: { head: 'Not connected', then: 'reload the page' },
};

/**
 * What the status line says: something a person can trust about their edits.
 * `unsaved` counts their edits (keystrokes, formatting, pastes: one per editor
 * change) that the server has not acknowledged, not the SDK's operations
 * (which are at most two, however much was typed). `error` is the session's
 * last connection error, if any: an end for good changes what is true. A
 * handshake refused for good (the app's address or version) has no act of
 * its own here: the line says the error's sentence, never that it will
 * reconnect, for it will not.
 */
export function saveStatusLabel(
  status: ConnectionStatus,
  unsaved: number,
  error: Pick<WireError, 'code' | 'details'> | null = null,
): string {
  const closed = status === 'connected' ? null : closedForGood(error);
  if (closed === REFUSED_FOR_GOOD) {
    const words = describeError(error);
    return unsaved > 0
      ? `Not connected: ${edits(unsaved)} kept on this device. ${words}`
      : `Not connected: ${words}`;
  }
  if (closed) {
    const { head, then } = CLOSED_FOR_GOOD[closed];
    return unsaved > 0
      ? `${head}: ${edits(unsaved)} kept on this device, sent after you ${then}`
      : `${head}: ${then} to continue`;
  }
  switch (status) {
    case 'offline':
      return unsaved > 0 ? `Offline: ${edits(unsaved)} will be sent when you reconnect` : 'Offline';
    case 'reconnecting':
      return unsaved > 0 ? `Reconnecting… ${edits(unsaved)} not saved yet` : 'Reconnecting…';
    case 'connecting':
      return unsaved > 0 ? `Connecting… ${edits(unsaved)} not saved yet` : 'Connecting…';
    case 'connected':
      return unsaved > 0 ? 'Saving…' : 'All changes saved';
  }
}
