import type { OpLimits, VersionedOp } from '@collab/ot';
import type { NewOperation, StoredOperation } from '@collab/persistence';
import type Delta from 'quill-delta';
import type { CommitBroadcast } from '../broadcast/op-publisher';
import type { DocumentActor } from './document.actor';

/**
 * What an actor reads from and writes to PostgreSQL (DocumentStore in
 * production; a log in memory in the unit specs).
 */
export interface DocumentStorePort {
  /**
   * Appends one group commit; rejects with FenceViolationError when another
   * writer holds one of its versions or (user, clientId, seq) keys, and then
   * nothing of it was written.
   */
  append(rows: readonly NewOperation[]): Promise<void>;
  /** The dedupe lookup of a client's operation by sequence number. */
  findBySeq(docId: string, userId: string, clientId: string, seq: number): Promise<StoredOperation | null>;
  /** Committed operations with versions in (afterVersion, upTo], oldest first. */
  opsBetween(docId: string, afterVersion: number, upTo: number): Promise<VersionedOp[]>;
  /** The content at a committed version, for a restore. */
  contentAt(docId: string, version: number): Promise<Delta['ops']>;
  /** The log's head version, or null when the document does not exist. */
  head(docId: string): Promise<number | null>;
}

export interface ActorPorts {
  readonly store: DocumentStorePort;
  /** Publishes one group commit to the document's room. Called in version order, after the commit. */
  publish(commit: CommitBroadcast): void;
  /**
   * Told after each commit, with the versions it covered (snapshot scheduling,
   * batch size) and the correlation id of its last operation.
   */
  committed(docId: string, fromVersion: number, toVersion: number, correlationId?: string): void;
  /** Told when the actor can no longer serve (fence lost, write failed): the registry forgets it. */
  died(docId: string, actor: DocumentActor): void;
  /** Told when the database fence refused a group commit starting at `version`: this actor was a stale owner. */
  fenced?(docId: string, version: number): void;
}

export interface ActorOptions {
  readonly limits?: Partial<OpLimits>;
  readonly historyWindow: number;
}
