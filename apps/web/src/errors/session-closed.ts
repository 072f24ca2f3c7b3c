import {
  SESSION_CLOSE_ACTIONS,
  SessionCloseAction,
  SessionCloseReasonSchema,
  type WireError,
} from '@collab/contracts';

/** What only the person can do after the server closed their session for good. */
export type ClosedForGood =
  typeof SessionCloseAction.SignIn | typeof SessionCloseAction.Reload | typeof SessionCloseAction.Stop;

/**
 * Whether `error` is a session the server closed for good (the SDK's
 * `sessionClosedError`: signed out, too many tabs, an old app), and so what
 * the person must do before anything reconnects. Null for every other error,
 * including the same codes refused at a handshake or a join: those carry no
 * server close reason, and reconnecting may get past them.
 *
 * The reason is read from `details.reason`, where the SDK keeps it, and
 * checked against the contracts' table, so a close that asks for a
 * reconnect (a refresh, a shutdown) is never taken for one that does not.
 */
export function closedForGood(error: Pick<WireError, 'details'> | null): ClosedForGood | null {
  const reason = SessionCloseReasonSchema.safeParse(error?.details?.['reason']);
  if (!reason.success) return null;
  const action = SESSION_CLOSE_ACTIONS[reason.data];
  switch (action) {
    case SessionCloseAction.SignIn:
    case SessionCloseAction.Reload:
    case SessionCloseAction.Stop:
      return action;
    case SessionCloseAction.Refresh:
    case SessionCloseAction.Reconnect:
      return null;
  }
}
