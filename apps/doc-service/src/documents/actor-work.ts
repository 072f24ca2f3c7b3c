import type { AppError, LoadResult } from '@collab/contracts';
import type { NewOperation } from '@collab/persistence';
import type { RestoreSubmission } from './actor-restore';

/** An operation routed to this document's owner, already authorised by the gateway. */
export interface Submission {
  readonly userId: string;
  readonly clientId: string;
  readonly seq: number;
  readonly baseVersion: number;
  readonly delta: unknown;
  /** The gateway's id for this operation, passed on to the snapshot job its commit may queue. */
  readonly correlationId?: string;
  /** The submitting socket, when the gateway names it: acknowledged by its reply, not by the broadcast. */
  readonly socketId?: string;
}

/** What the queue holds: operations and restores, handled in one order. */
export type Work = ({ kind: 'op' } & Submission) | ({ kind: 'restore' } & RestoreSubmission);

export interface Pending {
  readonly submission: Work;
  readonly resolve: (version: number) => void;
  readonly reject: (error: AppError) => void;
}

/** A row applied in memory and waiting for its group commit, with its submitter. */
export interface Staged {
  readonly row: NewOperation;
  readonly pending: Pending;
  readonly settle: { resolve: (v: number) => void; reject: (e: AppError) => void };
}

export interface LoadWaiter {
  readonly resolve: (state: LoadResult) => void;
  readonly reject: (error: AppError) => void;
}

/**
 * The socket that submitted every operation of a commit, when there is one
 * and the gateway named it; a commit with anyone else's operation (or a
 * restore) goes to every socket of the room.
 */
export function soleSubmitter(staged: readonly Staged[]): string | undefined {
  const [first, ...rest] = staged.map((s) => s.pending.submission);
  const socketId = first?.kind === 'op' ? first.socketId : undefined;
  if (socketId === undefined) return undefined;
  return rest.every((w) => w.kind === 'op' && w.socketId === socketId) ? socketId : undefined;
}
