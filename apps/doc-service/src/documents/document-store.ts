import { turnLoader } from '@collab/cluster';
import { type CommittedOp } from '@collab/contracts';
import { ChunkedDocument, type VersionedOp } from '@collab/ot';
import {
  contentAtVersion,
  findOperationsBySeq,
  headVersion,
  insertOperationGroups,
  latestSnapshot,
  loadOperationsAfter,
  type NewOperation,
  type SeqKey,
  type StoredOperation,
} from '@collab/persistence';
import Delta from 'quill-delta';
import type { DataSource } from 'typeorm';
import type { DocumentStorePort } from './actor-ports';
import { toCommittedOp } from './committed-op';
import { GroupCommitter, type GroupCommitterOptions } from './group-committer';

/** Page size when reading operations from PostgreSQL. */
const PAGE = 2000;

/**
 * Grouped commit statements in flight per instance. Two keep PostgreSQL busy
 * while the next group gathers; more would only split the groups (and take
 * pool connections that loads and catch-ups need).
 */
const COMMIT_STATEMENTS = 2;
/** Rows per grouped statement, at most. */
const COMMIT_MAX_ROWS = 1000;
/** Dedupe lookups per query, at most. */
const LOOKUP_MAX_KEYS = 1000;

/** Who submitted a committed operation, as its row records it: what the dedupe compares. */
export interface OpOrigin {
  readonly userId: string;
  readonly clientId: string;
  readonly seq: number;
  readonly submissionHash: string;
}

/** A committed operation with its origin: an entry of the actor's window. */
export interface RecentOp extends VersionedOp {
  readonly origin: OpOrigin;
}

export interface LoadedDocument {
  readonly doc: ChunkedDocument;
  readonly version: number;
  /**
   * The most recent operations (up to the requested count), oldest first, for
   * the transform window and the dedupe it answers: every operation after the
   * newest snapshot, at most that many (the window then holds versions
   * version - recent.length + 1 .. version, and nothing older).
   */
  readonly recent: RecentOp[];
  /** Versions read from the operations table (the tail after the snapshot). */
  readonly tailLength: number;
}

/**
 * The actor's view of PostgreSQL: load a document from its newest snapshot
 * and the operations after it, append a group commit, and read history for
 * transforms, dedupe and catch-up.
 */
export class DocumentStore implements DocumentStorePort {
  private readonly commits: GroupCommitter;
  /** The dedupe lookups of one turn, as one query (see findBySeq). */
  private readonly lookUp: (key: SeqKey) => Promise<StoredOperation | null>;

  /** @param commitMetrics told of each shared commit statement: its documents, then its seconds. */
  constructor(
    private readonly dataSource: DataSource,
    commitMetrics: Pick<GroupCommitterOptions, 'onStatement' | 'onAnswered'> = {},
  ) {
    this.commits = new GroupCommitter((batches) => insertOperationGroups(dataSource.manager, batches), {
      statements: COMMIT_STATEMENTS,
      maxRows: COMMIT_MAX_ROWS,
      ...commitMetrics,
    });
    this.lookUp = turnLoader((keys: readonly SeqKey[]) => findOperationsBySeq(dataSource.manager, keys), {
      maxBatchSize: LOOKUP_MAX_KEYS,
    });
  }

  /** Loads a document at head, or returns undefined when it does not exist. */
  async load(docId: string, keepRecent: number): Promise<LoadedDocument | undefined> {
    const manager = this.dataSource.manager;
    const head = await headVersion(manager, docId);
    if (head === null) return undefined;
    const snapshot = head > 0 ? await latestSnapshot(manager, docId, head) : null;
    const doc = snapshot
      ? ChunkedDocument.fromDelta(snapshot.delta as Delta['ops'])
      : ChunkedDocument.empty();
    let version = snapshot?.version ?? 0;
    const recent: RecentOp[] = [];
    let tailLength = 0;
    for (;;) {
      const page = await loadOperationsAfter(manager, docId, version, PAGE);
      for (const row of page) {
        // Rows in the log were validated before they were committed.
        const op = new Delta(row.delta as Delta['ops']);
        doc.apply(op);
        version = row.version;
        const { userId, clientId, seq, submissionHash } = row;
        recent.push({ version, op, origin: { userId, clientId, seq, submissionHash } });
        if (recent.length > keepRecent * 2) recent.splice(0, recent.length - keepRecent);
      }
      tailLength += page.length;
      if (page.length < PAGE) break;
    }
    // The head may have moved while we read (another owner during a hand-over);
    // then our state is stale and the first write will hit the fence.
    return { doc, version, recent: recent.slice(-keepRecent), tailLength };
  }

  /** Committed operations with versions in (afterVersion, upTo], oldest first. */
  async opsBetween(docId: string, afterVersion: number, upTo: number): Promise<VersionedOp[]> {
    const out: VersionedOp[] = [];
    let from = afterVersion;
    while (from < upTo) {
      const page = await loadOperationsAfter(
        this.dataSource.manager,
        docId,
        from,
        Math.min(PAGE, upTo - from),
      );
      if (page.length === 0) break;
      for (const row of page) out.push({ version: row.version, op: new Delta(row.delta as Delta['ops']) });
      from = page[page.length - 1].version;
    }
    return out;
  }

  /**
   * The document's content at a committed version (nearest snapshot at or
   * below it plus the operations after it), for a restore.
   */
  async contentAt(docId: string, version: number): Promise<Delta['ops']> {
    const content = await contentAtVersion(this.dataSource.manager, docId, version, { pageSize: PAGE });
    return content.delta as Delta['ops'];
  }

  /**
   * The dedupe lookup of a client's operation by sequence number. Lookups
   * asked for in one turn of the event loop share one query: an owner that
   * starts serving busy documents (a restart, a failover) gets the first
   * operation of every client at once, and each needs one.
   */
  findBySeq(docId: string, userId: string, clientId: string, seq: number): Promise<StoredOperation | null> {
    return this.lookUp({ documentId: docId, userId, clientId, seq });
  }

  /**
   * Appends one group commit of a document, in a statement shared with other
   * documents' commits (GroupCommitter); rejects with FenceViolationError
   * when another writer got there first, and then nothing of it was written.
   */
  append(rows: readonly NewOperation[]): Promise<void> {
    return this.commits.append(rows);
  }

  /** Catch-up: committed operations after `fromVersion`, at most `limit`. */
  async committedAfter(docId: string, fromVersion: number, limit: number): Promise<CommittedOp[]> {
    const rows = await loadOperationsAfter(this.dataSource.manager, docId, fromVersion, limit);
    return rows.map((row) => toCommittedOp(docId, row));
  }

  head(docId: string): Promise<number | null> {
    return headVersion(this.dataSource.manager, docId);
  }
}
