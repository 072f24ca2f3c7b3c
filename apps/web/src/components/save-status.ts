import type { ConnectionStatus } from '@collab/client';

/** What the status line says: something a person can trust about their edits. */
export function saveStatusLabel(status: ConnectionStatus, pending: number): string {
  const changes = `${pending} ${pending === 1 ? 'change' : 'changes'}`;
  switch (status) {
    case 'offline':
      return pending > 0 ? `Offline — ${changes} will be sent when you reconnect` : 'Offline';
    case 'reconnecting':
      return pending > 0 ? `Reconnecting… (${changes} not yet saved)` : 'Reconnecting…';
    case 'connecting':
      return 'Connecting…';
    case 'connected':
      return pending > 0 ? 'Saving…' : 'Saved';
  }
}
