import { type ConnectionStatus, endedForGood } from '@collab/client';
import type { WireError } from '@collab/contracts';

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
 * now. Not after the SDK ended the connection for good (endedForGood: signed
 * out, too many tabs, an old app, an address the server does not allow):
 * reconnecting would undo the server's close or only be refused again, and
 * nothing but the person's act (signing in, closing tabs, reloading, opening
 * the app from its usual address) can get past it.
 */
export function reconnectsWhenOnline(error: WireError | null): boolean {
  return !endedForGood(error);
}
