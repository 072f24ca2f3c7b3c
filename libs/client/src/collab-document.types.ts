import type {
  AccessRevokedReason,
  CommittedOp,
  PresenceLeave,
  PresenceState,
  Role,
  WireError,
} from '@collab/contracts';
import type { DeltaLike, PendingState } from '@collab/ot';
import type Delta from 'quill-delta';
import type { EditRefusal } from './edit-refusal';
import type { RestoredPending } from './outbox-restore';
import type { Transport } from './transport/transport';

/** Connection status a person can trust. */
export const ConnectionStatus = {
  connecting: 'connecting',
  connected: 'connected',
  reconnecting: 'reconnecting',
  offline: 'offline',
} as const;
export type ConnectionStatus = (typeof ConnectionStatus)[keyof typeof ConnectionStatus];

export interface CollabDocumentOptions {
  /** Gateway URL, e.g. http://localhost:3000. */
  readonly url: string;
  readonly docId: string;
  /** Returns a current access token (called on every (re)connect). */
  readonly token: () => string | Promise<string>;
  /** A stable id for this editing session; resends keep it. Random when omitted. */
  readonly clientId?: string;
  /** Operations not yet acknowledged, restored from an outbox (e.g. IndexedDB). */
  readonly pending?: RestoredPending | null;
  /**
   * The local replica an earlier visit saved (see {@link CollabDocument.replica}):
   * `open()` then resolves at once with its document, even offline, edits can
   * continue, and on connect the client catches up from its version and sends
   * what is pending, exactly as after a reconnect. Takes precedence over `pending`.
   */
  readonly replica?: Replica | null;
  /** Page size for catch-up. */
  readonly catchupLimit?: number;
  /**
   * The longest wait before the first retry after a retryable refusal (an
   * operation, a join, a catch-up page, a handshake) and before reconnecting
   * after a server close that asks for it; each later retry's ceiling doubles,
   * up to 3 s, and every wait is drawn at random below its ceiling (see
   * retryDelayMs in libs/contracts). Default 200 ms.
   */
  readonly retryDelayMs?: number;
  /** How often to check for a stall (see STALL_CHECK_MS); two checks in a row act. */
  readonly stallCheckMs?: number;
  /** The connection to use instead of Socket.IO to `url` (tests run the SDK in memory with one). */
  readonly transport?: Transport;
}

/**
 * Everything needed to reopen a document without the server: the local
 * document (server content at `version` plus the pending edits), the OT
 * client's state and the last known role. JSON-serialisable.
 */
export interface Replica {
  readonly version: number;
  readonly nextSeq: number;
  readonly pending: PendingState | null;
  readonly document: DeltaLike;
  readonly role: Role;
}

export interface CollabDocumentEvents {
  /**
   * The document changed by something other than a local edit: someone else's
   * operation (`op`), or a refused edit of this client's taken out (`op` null;
   * a `refused` event says why).
   */
  remote: [change: Delta, op: CommittedOp | null];
  /**
   * The server's document moved to `version` by `delta` (someone else's
   * operation or this client's, acknowledged), in version order without a
   * gap for as long as the document stays open; after a reload from a join
   * (a refused edit the server had moved past) the next one follows the
   * join's version. Comment anchors move through these (`transformAnchorThrough`).
   * Emitted before `remote` for the same operation.
   */
  committed: [version: number, delta: Delta];
  status: [status: ConnectionStatus];
  /** The number of local edits not yet durable changed. */
  pending: [count: number];
  presence: [presence: PresenceState];
  'presence:leave': [leave: PresenceLeave];
  /**
   * A refusal the SDK cannot fix by retrying that is not about one edit (a
   * join or handshake refused while opened from a replica, a session the
   * server closed for good). When it ended the connection for good (the
   * page's origin or protocol refused, a close asking to sign in, reload or
   * stop) `endedForGood(error)` is true: the document stays offline and
   * nothing reconnects it but reconnect(). open() rejects with the same errors.
   */
  error: [error: WireError];
  /** An edit was refused for good and taken out of the document; later edits go on. */
  refused: [refusal: EditRefusal];
  /** This user's role changed while the document was open (a downgraded editor becomes a viewer). */
  role: [role: Role];
  /** This user lost access (removed, or the document was deleted): the document is closed. */
  revoked: [reason: AccessRevokedReason];
}
