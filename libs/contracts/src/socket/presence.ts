import { z } from 'zod';
import { ClientId, Color, DisplayName, DocId, SessionId, UserId, Version } from '../common/ids';

/**
 * A caret or selection as Delta indexes: `anchor` where it started, `head`
 * where the caret is (equal for a plain caret).
 */
export const Selection = z.strictObject({
  anchor: z.int().nonnegative(),
  head: z.int().nonnegative(),
});
/** See {@link Selection}. */
export type Selection = z.infer<typeof Selection>;

/**
 * Client -> server `presence`: where this client's caret is, computed on
 * its copy of the document at `version` (including its own pending
 * operations); `null` when the editor is not focused. Ephemeral: relayed
 * through the gateways' rooms, never stored with the document. Receivers
 * transform the positions through the operations after `version`.
 */
export const PresenceUpdate = z.strictObject({
  docId: DocId,
  version: Version,
  selection: Selection.nullable(),
  /**
   * The editing session's operation client id: receivers tell this person's
   * own edits from others' when moving the caret through operations made
   * after `version` (one's own insert pushes one's caret; another's does not).
   */
  clientId: ClientId.optional(),
});
/** See {@link PresenceUpdate}. */
export type PresenceUpdate = z.infer<typeof PresenceUpdate>;

/**
 * Server -> client `presence`, and the entries of a join ack's `presence`:
 * one session's caret, with the name and colour to draw it. `sessionId`
 * tells two tabs of one user apart.
 */
export const PresenceState = z.object({
  docId: DocId,
  sessionId: SessionId,
  userId: UserId,
  name: DisplayName,
  color: Color,
  version: Version,
  /** See {@link PresenceUpdate}'s `clientId`. */
  clientId: ClientId.optional(),
  // Tolerant of fields a newer server adds, like every server-sent shape.
  selection: z.object(Selection.shape).nullable(),
});
/** See {@link PresenceState}. */
export type PresenceState = z.infer<typeof PresenceState>;

/** Server -> client `presence:leave`: the session left the document; remove its caret. */
export const PresenceLeave = z.object({
  docId: DocId,
  sessionId: SessionId,
});
/** See {@link PresenceLeave}. */
export type PresenceLeave = z.infer<typeof PresenceLeave>;
