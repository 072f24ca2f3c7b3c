import type { ConnectionStatus } from '@collab/client';

const edits = (n: number) => `${n} ${n === 1 ? 'edit' : 'edits'}`;

/**
 * What the status line says: something a person can trust about their edits.
 * `unsaved` counts their edits (keystrokes, formatting, pastes: one per editor
 * change) that the server has not acknowledged, not the SDK's operations
 * (which are at most two, however much was typed).
 */
export function saveStatusLabel(status: ConnectionStatus, unsaved: number): string {
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
