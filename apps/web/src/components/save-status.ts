import type { ConnectionStatus } from '@collab/client';
import type { WireError } from '@collab/contracts';
import { type ClosedForGood, closedForGood } from '../errors/session-closed';

const edits = (n: number) => `${n} ${n === 1 ? 'edit' : 'edits'}`;

/**
 * After a close for good nothing reconnects until the person acts, so the
 * line says what to do (as the error sentence beside it does) and where the
 * unsent edits are: in this device's outbox, sent by the next visit that
 * connects (after signing in, closing tabs, or reloading).
 */
const CLOSED_FOR_GOOD: { readonly [A in ClosedForGood]: { readonly head: string; readonly then: string } } = {
  sign_in: { head: 'Signed out', then: 'sign in again' },
  stop: { head: 'Not connected', then: 'close other tabs and reload' },
  reload: { head: 'Not connected', then: 'reload the page' },
};

/**
 * What the status line says: something a person can trust about their edits.
 * `unsaved` counts their edits (keystrokes, formatting, pastes: one per editor
 * change) that the server has not acknowledged, not the SDK's operations
 * (which are at most two, however much was typed). `error` is the session's
 * last connection error, if any: a close for good changes what is true.
 */
export function saveStatusLabel(
  status: ConnectionStatus,
  unsaved: number,
  error: Pick<WireError, 'details'> | null = null,
): string {
  const closed = status === 'connected' ? null : closedForGood(error);
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
