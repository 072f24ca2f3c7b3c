import { endedForGood } from '@collab/client';
import {
  SESSION_CLOSE_ACTIONS,
  SessionCloseAction,
  SessionCloseReasonSchema,
  type WireError,
} from '@collab/contracts';

/**
 * The server refuses this app itself (its address is not allowed, it speaks
 * an older protocol): the error's own sentence says what to do.
 */
export const REFUSED_FOR_GOOD = 'refused';

/** What only the person can do after the SDK ended the connection for good. */
export type ClosedForGood =
  | typeof SessionCloseAction.SignIn
  | typeof SessionCloseAction.Reload
  | typeof SessionCloseAction.Stop
  | typeof REFUSED_FOR_GOOD;

/**
 * Whether `error` ended the document's connection for good, and so what the
 * person must do before anything reconnects: sign in, close tabs or reload
 * after a session the server closed for good (signed out, too many tabs, an
 * old app), or what the error says after a handshake no reconnect can get
 * past (ORIGIN_NOT_ALLOWED, PROTOCOL_MISMATCH). Null for every other error,
 * including a close that asks for a reconnect and the same codes refused at
 * a handshake or a join where reconnecting may get past them.
 *
 * Whether it is final is the SDK's answer (endedForGood), never decided
 * here; the server's close reason, kept in `details.reason`, only picks the
 * words, through the contracts' table.
 */
export function closedForGood(error: Pick<WireError, 'details'> | null): ClosedForGood | null {
  if (!endedForGood(error)) return null;
  const reason = SessionCloseReasonSchema.safeParse(error?.details?.['reason']);
  if (!reason.success) return REFUSED_FOR_GOOD;
  const action = SESSION_CLOSE_ACTIONS[reason.data];
  // A close asking to reconnect is never final; should the SDK say so anyway, its words stand.
  return action === SessionCloseAction.Refresh || action === SessionCloseAction.Reconnect
    ? REFUSED_FOR_GOOD
    : action;
}
