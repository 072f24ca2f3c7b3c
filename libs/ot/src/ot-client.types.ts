import type Delta from 'quill-delta';
import type { Op } from 'quill-delta';
import type { DeltaSelection } from './cursor';

// The vocabulary of OtClient (ot-client.ts): what it takes, gives and keeps.

/**
 * The three states of a client (after ot.js `lib/client.js`):
 * - `synchronized`: nothing unacknowledged; the local document is the server
 *   document at `version`;
 * - `awaitingConfirm`: one operation in flight, no further local edits;
 * - `awaitingWithBuffer`: one operation in flight and later local edits
 *   composed into a buffer that is sent when the in-flight one is acknowledged.
 */
export const ClientState = {
  synchronized: 'synchronized',
  awaitingConfirm: 'awaitingConfirm',
  awaitingWithBuffer: 'awaitingWithBuffer',
} as const;
export type ClientState = (typeof ClientState)[keyof typeof ClientState];

/**
 * An operation as sent to the server. Frozen (deeply, including its delta):
 * once sent it is never changed, so that a resend after a reconnect is
 * byte-identical to the first send. The server dedupes by `(clientId, seq)`
 * and transforms it itself from `baseVersion`.
 */
export type OutgoingOp = Readonly<{
  clientId: string;
  seq: number;
  /** The server version the delta applies to. */
  baseVersion: number;
  delta: Delta;
}>;

/** Delta-shaped input: a Delta, or its JSON form `{ ops }` (e.g. from IndexedDB or the wire). */
export type DeltaLike = Delta | Readonly<{ ops: readonly Op[] }>;

/** An {@link OutgoingOp} as read back from storage, its delta possibly in JSON form. */
export type StoredOp = Readonly<{ clientId: string; seq: number; baseVersion: number; delta: DeltaLike }>;

/** A committed operation as the server broadcasts it (also the acknowledgement of its submitter). */
export type ServerOp = Readonly<{
  /** The version this operation produced: the document had `version - 1` ops before it. */
  version: number;
  /** The operation as committed, i.e. transformed by the server to apply at `version - 1`. */
  delta: DeltaLike;
  clientId: string;
  seq: number;
}>;

export const ReceiveKind = { ack: 'ack', remote: 'remote', gap: 'gap', stale: 'stale' } as const;
export type ReceiveKind = (typeof ReceiveKind)[keyof typeof ReceiveKind];

/** What the caller must do after {@link OtClient.receive}. */
export type ReceiveResult =
  | Readonly<{
      kind: 'ack';
      /** Our in-flight operation committed as this version. */
      version: number;
      /** The operation as committed (it applies to the document at `version - 1`). */
      delta: Delta;
      /** The buffered edits, now in flight: send them. Null when nothing is buffered. */
      next: OutgoingOp | null;
      /**
       * Whether the committed delta equals this client's rebased copy of the
       * in-flight operation. Both sides run the same deterministic transforms,
       * so false means client and server disagree: reload the document.
       */
      matches: boolean;
    }>
  | Readonly<{
      kind: 'remote';
      version: number;
      /** Apply this to the local document (editor); it already accounts for local unacknowledged edits. */
      apply: Delta;
    }>
  | Readonly<{
      kind: 'gap';
      /** The version the client needs next: catch up from here, then deliver the message again. */
      expected: number;
      received: number;
    }>
  | Readonly<{
      kind: 'stale';
      /** Already incorporated (a duplicate, e.g. a broadcast that also came in a catch-up): ignore. */
      version: number;
    }>;

/** What the caller must do after {@link OtClient.refuse}. */
export type RefuseResult = Readonly<{
  /** Apply this to the local document: it takes out the refused edit and keeps the later ones. */
  apply: Delta;
  /** The operation that was refused, as it was sent. */
  refused: OutgoingOp;
  /** The later edits, rebased onto the server document, now in flight: send them. Null when there were none. */
  next: OutgoingOp | null;
}>;

/**
 * Unacknowledged local state, as persisted in an offline outbox and given
 * back to the constructor on the next visit.
 */
export type PendingState = Readonly<{
  /** The operation that was (or was about to be) sent, exactly as it was. */
  inFlight: StoredOp;
  /**
   * `inFlight.delta` transformed against every server operation from
   * `inFlight.baseVersion` up to the client's `version`. Required when
   * `baseVersion < version`; defaults to `inFlight.delta` otherwise.
   */
  rebased?: DeltaLike;
  /** Local edits made after `inFlight`, composed, applying after `rebased`. */
  buffer?: DeltaLike | null;
}>;

/** Everything needed to rebuild a client; JSON-serialisable (Deltas serialise as `{ ops }`). */
export type ClientSnapshot = Readonly<{
  clientId: string;
  version: number;
  nextSeq: number;
  pending: Readonly<{ inFlight: OutgoingOp; rebased: Delta; buffer: Delta | null }> | null;
}>;

export type OtClientInit = Readonly<{
  /** Stable per client (per browser tab or per persisted outbox). */
  clientId: string;
  /** The server version of the document this client starts from. */
  version: number;
  /** The seq of the next operation; must exceed any seq this clientId has used. Default 0. */
  nextSeq?: number;
  /** Restored unacknowledged edits (offline outbox). The local document must already include them. */
  pending?: PendingState | null;
  /** How many committed operations to keep for placing other users' presence. Default 200. */
  historyLimit?: number;
}>;

/** Another user's selection, expressed at a server version (see {@link OtClient.presenceOut}). */
export type RemotePresence = Readonly<{ clientId: string; version: number; selection: DeltaSelection }>;

export const PresenceKind = { placed: 'placed', ahead: 'ahead', dropped: 'dropped' } as const;
export type PresenceKind = (typeof PresenceKind)[keyof typeof PresenceKind];

export type PresenceResult =
  | Readonly<{ kind: 'placed'; selection: DeltaSelection }>
  /** Computed at a version this client has not reached: keep it and retry after catching up. */
  | Readonly<{ kind: 'ahead' }>
  /** Older than the kept history, or malformed: drop it and wait for the next update. */
  | Readonly<{ kind: 'dropped' }>;
