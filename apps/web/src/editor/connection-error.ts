import type { ConnectionStatus } from '@collab/client';
import type { WireError } from '@collab/contracts';
import { closedForGood } from '../errors/session-closed';

/**
 * The session's `error` after the document's status became `status`. Every
 * error kept there says why the connection or its join failed (an edit
 * refused for good is a notice instead, and stays until the person reads
 * it), and 'connected' comes only once a connection has joined and caught
 * up: from then on the error is no longer true, so it goes.
 */
export function errorAfterStatus(error: WireError | null, status: ConnectionStatus): WireError | null {
  return status === 'connected' ? null : error;
}

/**
 * Whether the browser's network coming back should reconnect the document
 * now. Not after a close for good (signed out, too many tabs, an old app):
 * reconnecting would undo the server's close, and nothing but the person's
 * act (signing in, closing tabs, reloading) can get past it.
 */
export function reconnectsWhenOnline(error: WireError | null): boolean {
  return closedForGood(error) === null;
}
