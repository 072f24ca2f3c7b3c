import { AppError, type CommittedOp, ErrorCode, type LoadResult } from '@collab/contracts';
import {
  type OpLimits,
  OperationWindow,
  parseOp,
  type ServerDocument,
  transformAgainstHistory,
  validateOp,
} from '@collab/ot';
import { FenceViolationError, FenceViolationReason, type NewOperation } from '@collab/persistence';
import Delta from 'quill-delta';
import type { CommitBroadcast } from '../broadcast/op-publisher';
import type { DocumentStore, OpOrigin, RecentOp } from './document-store';
import { changesNothing } from './changes-nothing';
import { restoreSubmissionHash, submissionHash } from './submission-hash';

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

/**
 * A restore of version `toVersion`, authorised by the gateway (the user may
 * edit). `(clientId, seq)` is fresh per restore action, so a retried restore
 * dedupes like a resent operation.
 */
export interface RestoreSubmission {
  readonly userId: string;
  readonly clientId: string;
  readonly seq: number;
  readonly toVersion: number;
  readonly correlationId?: string;
}

/** What the queue holds: operations and restores, handled in one order. */
type Work = ({ kind: 'op' } & Submission) | ({ kind: 'restore' } & RestoreSubmission);

export interface ActorPorts {
  readonly store: DocumentStore;
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

interface Pending {
  readonly submission: Work;
  readonly resolve: (version: number) => void;
  readonly reject: (error: AppError) => void;
}

/** What the actor remembers of a client's latest operation, for dedupe without a query. */
interface ClientRecord {
  seq: number;
  hash: string;
  version: number;
  /** Resolves when that version is durable (rejects if its write failed). */
  durable: Promise<number>;
}

/**
 * What the window keeps with each operation: its origin (as its row records
 * it), and for an operation this actor staged, when it is durable (rejects if
 * its write failed). An operation without `durable` was loaded from the log.
 */
interface WindowEntry extends OpOrigin {
  readonly durable?: Promise<number>;
}

/** A row applied in memory and waiting for its group commit, with its submitter. */
interface Staged {
  readonly row: NewOperation;
  readonly pending: Pending;
  readonly settle: { resolve: (v: number) => void; reject: (e: AppError) => void };
}

interface LoadWaiter {
  readonly resolve: (state: LoadResult) => void;
  readonly reject: (error: AppError) => void;
}

const MAX_CLIENT_RECORDS = 10_000;

const clientKey = (userId: string, clientId: string) => `${userId}\u0000${clientId}`;

/**
 * The single writer of one document. It handles operations strictly one at a
 * time, in arrival order (the model is ShareDB's submit-request: dedupe,
 * transform, apply, commit with a version check):
 *
 * 1. Dedupe on (user, clientId, seq). A resend (same submission hash) is
 *    acknowledged again with its original version and never applied twice; the
 *    same (clientId, seq) carrying another operation is refused (SEQ_REUSED).
 *    The record lives with the operation in PostgreSQL, so this holds across
 *    restarts and owner changes; memory (the client records, the window of
 *    recent operations with their origins) only saves the query, and the
 *    unique (document, user, clientId, seq) key of the log backs it up.
 * 2. A base version ahead of head is a protocol error (VERSION_AHEAD), unless
 *    the log holds it: then this actor is the stale one (see refuseAhead).
 * 3. Transform against every operation after the base (the in-memory window,
 *    older ones from PostgreSQL), validate against the current document
 *    (libs/ot), apply in memory.
 * 4. Group commit: operations that arrive while a write is in flight are staged
 *    and go in the next single multi-row INSERT. The primary key (document_id,
 *    version) is the fence: if another instance wrote one of our versions, the
 *    INSERT fails, this actor dies (its state is wrong), every waiter gets
 *    NOT_OWNER, and the gateway re-routes. History never forks.
 * 5. Only after the commit: broadcast in version order, then acknowledge.
 *
 * In-memory state past the last durable version exists only while a write is
 * in flight. Any failed write kills the actor, so that state is discarded and
 * the next request loads the document again from PostgreSQL, where a write
 * whose outcome was unknown is resolved by the dedupe record.
 */
export class DocumentActor {
  private readonly window: OperationWindow<WindowEntry>;
  private readonly clients = new Map<string, ClientRecord>();
  private queue: Pending[] = [];
  private loadWaiters: LoadWaiter[] = [];
  private writing = false;
  /** The last version known to be in PostgreSQL; `version` runs ahead of it only while a write is in flight. */
  private durableVersion: number;
  private dead: AppError | undefined;
  private idleSince = performance.now();
  /** Resolves when the current pump (if any) has drained. */
  private drained: Promise<void> = Promise.resolve();

  constructor(
    readonly docId: string,
    private readonly doc: ServerDocument,
    private version: number,
    recent: readonly RecentOp[],
    private readonly ports: ActorPorts,
    private readonly options: ActorOptions,
  ) {
    this.durableVersion = version;
    this.window = new OperationWindow<WindowEntry>({
      capacity: options.historyWindow,
      headVersion: version - recent.length,
    });
    for (const { op, origin } of recent) this.window.push(op, origin);
    // Staged operations must stay in the window until they are durable (they are
    // not in PostgreSQL yet to be read back), so a batch takes at most half of it.
    this.maxBatch = Math.max(1, Math.floor(options.historyWindow / 2));
  }

  private readonly maxBatch: number;

  /** The durable head version. */
  get headVersion(): number {
    return this.durableVersion;
  }

  /** True when the actor has work or waiters; an idle actor may be evicted. */
  get busy(): boolean {
    return this.writing || this.queue.length > 0 || this.loadWaiters.length > 0;
  }

  get isDead(): boolean {
    return this.dead !== undefined;
  }

  idleForMs(now: number): number {
    return this.busy ? 0 : now - this.idleSince;
  }

  /** Submits an operation; resolves with the version it committed as (or committed as before, for a resend). */
  submit(submission: Submission): Promise<number> {
    return this.enqueue({ kind: 'op', ...submission });
  }

  /**
   * Restores version `toVersion` as a new forward operation: the difference
   * from the content at that moment to the old content, committed, broadcast
   * and acknowledged like any operation, in the same order as operations, so
   * every client converges on the old text and the history keeps both.
   * Resolves with the version it committed as; when the content already
   * equals the old version, nothing is committed and it resolves with head.
   */
  restore(restore: RestoreSubmission): Promise<number> {
    return this.enqueue({ kind: 'restore', ...restore });
  }

  private enqueue(submission: Work): Promise<number> {
    if (this.dead) return Promise.reject(this.dead);
    this.idleSince = performance.now();
    return new Promise<number>((resolve, reject) => {
      this.queue.push({ submission, resolve, reject });
      this.pump();
    });
  }

  /**
   * The document at its durable head. Waits for a write in flight, so a joining
   * client is never shown an operation that could still fail to commit.
   */
  load(): Promise<LoadResult> {
    if (this.dead) return Promise.reject(this.dead);
    this.idleSince = performance.now();
    if (!this.writing) return Promise.resolve(this.snapshot());
    return new Promise((resolve, reject) => this.loadWaiters.push({ resolve, reject }));
  }

  /**
   * Stops serving: waits for the write in flight (so what was acknowledged is
   * durable and what was staged is either durable or refused), then refuses
   * everything still queued with `reason`. Used when the document moves to
   * another owner and on shutdown.
   */
  async close(reason: AppError): Promise<void> {
    if (!this.dead) this.dead = reason;
    await this.drained;
    this.failQueued(this.dead);
  }

  private snapshot(): LoadResult {
    return { version: this.version, content: this.doc.toDelta().ops as LoadResult['content'] };
  }

  private failQueued(error: AppError): void {
    const queued = this.queue;
    this.queue = [];
    for (const pending of queued) pending.reject(error);
    // Joins are answered only with durable state; a dead actor has none to offer.
    const waiters = this.loadWaiters;
    this.loadWaiters = [];
    for (const waiter of waiters) waiter.reject(error);
  }

  private pump(): void {
    if (this.writing || this.queue.length === 0 || this.dead) return;
    this.writing = true;
    this.drained = this.runBatches().finally(() => {
      this.writing = false;
      this.idleSince = performance.now();
      // Work queued after the loop's last look (by callbacks of its last commit)
      // would otherwise wait for the next submission.
      this.pump();
    });
  }

  private async runBatches(): Promise<void> {
    while (this.queue.length > 0 && !this.dead) {
      const batch = this.queue.splice(0, this.maxBatch);
      let staged: Staged[] = [];
      for (const pending of batch) {
        if (pending.submission.kind === 'restore' && staged.length > 0) {
          // A restore reads the old version from PostgreSQL and diffs against the
          // document as it is: everything staged before it must be durable first.
          await this.commit(staged);
          staged = [];
          if (this.dead) {
            pending.reject(this.dead);
            continue;
          }
        }
        try {
          const entry = await this.stage(pending);
          if (entry) staged.push(entry);
        } catch (error) {
          pending.reject(toAppError(error));
        }
      }
      if (staged.length > 0) await this.commit(staged);
      // Between batches the document is durable: answer the joins that waited.
      const waiters = this.loadWaiters;
      this.loadWaiters = [];
      if (!this.dead) for (const waiter of waiters) waiter.resolve(this.snapshot());
    }
  }

  /**
   * Dedupes, then transforms and validates (an operation) or diffs (a
   * restore), and applies the result in memory. Returns the staged row, or
   * undefined when the submission was answered without a new version (a
   * resend, or a restore that changes nothing).
   */
  private async stage(pending: Pending): Promise<Staged | undefined> {
    const work = pending.submission;
    const hash =
      work.kind === 'op'
        ? submissionHash(work.baseVersion, work.delta)
        : restoreSubmissionHash(work.toVersion);
    const key = clientKey(work.userId, work.clientId);
    // A resend carries what its original was made at: an operation's base
    // version, a restore's target. Either committed, if it did, after that.
    const madeAt = work.kind === 'op' ? work.baseVersion : work.toVersion;
    if (await this.answeredBefore(pending, key, hash, madeAt)) return undefined;

    const op = work.kind === 'op' ? await this.transformed(work) : await this.restoreDiff(work);
    if (op === undefined) {
      // Restoring the content the document already has: no version is made,
      // and a resend of this restore gets the same answer while we remember it.
      this.remember(key, {
        seq: work.seq,
        hash,
        version: this.version,
        durable: Promise.resolve(this.version),
      });
      pending.resolve(this.version);
      return undefined;
    }

    try {
      this.doc.apply(op);
    } catch (error) {
      // A validated operation that cannot be applied is a bug; the in-memory
      // document can no longer be trusted, so it is dropped and reloaded.
      this.die(new AppError(ErrorCode.INTERNAL, 'the document could not apply a validated operation'));
      throw error;
    }
    this.version += 1;
    let settle!: Staged['settle'];
    const durable = new Promise<number>((resolve, reject) => (settle = { resolve, reject }));
    // A record nobody awaits must not surface as an unhandled rejection.
    durable.catch(() => undefined);
    const { userId, clientId, seq } = work;
    this.window.push(op, { userId, clientId, seq, submissionHash: hash, durable });
    this.remember(key, { seq, hash, version: this.version, durable });
    return {
      row: {
        documentId: this.docId,
        version: this.version,
        delta: op.ops as NewOperation['delta'],
        userId: work.userId,
        clientId: work.clientId,
        seq: work.seq,
        submissionHash: hash,
        restoredFrom: work.kind === 'restore' ? work.toVersion : null,
      },
      pending,
      settle,
    };
  }

  /**
   * The dedupe on (user, clientId, seq): true when this submission was seen
   * before and has been answered with its original version (never applied
   * twice). Throws SEQ_REUSED for the same (clientId, seq) carrying something
   * else, or a seq below the client's latest that was never committed.
   *
   * A client's first operation at this actor (and a seq below its latest) is
   * looked for in the window before the log. A resend keeps the version its
   * original was made at (`madeAt`, part of the submission hash), and the
   * original, if it committed, did so after it: so when the window holds every
   * operation after `madeAt`, not finding the key there proves that no
   * original of this very submission is in the log, and no query is needed.
   * The window cannot prove that the key is absent from older history, where
   * a client reusing a seq with another operation could have put it; the
   * log's unique key refuses that commit, and `refuseTakenSeq` answers it
   * SEQ_REUSED then, as a lookup would have.
   */
  private async answeredBefore(
    pending: Pending,
    key: string,
    hash: string,
    madeAt: number,
  ): Promise<boolean> {
    const { userId, clientId, seq } = pending.submission;
    const known = this.clients.get(key);
    if (known && seq === known.seq) {
      if (known.hash !== hash) throw seqReused(clientId, seq);
      // A resend of the operation we have (perhaps still in flight): same answer, once durable.
      known.durable.then(pending.resolve, pending.reject);
      return true;
    }
    if (known && seq > known.seq) return false;
    const found = await this.committedAs(userId, clientId, seq, madeAt);
    if (found) {
      if (found.hash !== hash) throw seqReused(clientId, seq);
      if (!known) this.remember(key, { seq, hash, version: found.version, durable: found.durable });
      found.durable.then(pending.resolve, pending.reject);
      return true;
    }
    if (known) {
      // Below the client's latest sequence number but never committed: seqs only grow.
      throw new AppError(ErrorCode.SEQ_REUSED, `seq ${seq} is below ${known.seq}, the latest of ${clientId}`);
    }
    return false;
  }

  /**
   * Where (user, clientId, seq) committed, as far as it can matter to a
   * submission made at `madeAt`: from the window when it holds the key or
   * every operation after `madeAt`, else from the log.
   */
  private async committedAs(
    userId: string,
    clientId: string,
    seq: number,
    madeAt: number,
  ): Promise<{ version: number; hash: string; durable: Promise<number> } | null> {
    const inWindow = this.window.findLatest(
      (e) => e.seq === seq && e.clientId === clientId && e.userId === userId,
    );
    if (inWindow) {
      const { version, meta } = inWindow;
      return { version, hash: meta.submissionHash, durable: meta.durable ?? Promise.resolve(version) };
    }
    if (madeAt >= this.window.oldestBaseVersion) return null;
    const stored = await this.ports.store.findBySeq(this.docId, userId, clientId, seq);
    if (!stored) return null;
    return { version: stored.version, hash: stored.submissionHash, durable: Promise.resolve(stored.version) };
  }

  /** An operation transformed from its base version to head and validated against the document. */
  private async transformed(submission: Submission): Promise<Delta> {
    const { baseVersion, delta } = submission;
    if (baseVersion > this.version) await this.refuseAhead(baseVersion);
    const parsed = parseOp(delta, this.options.limits);
    if (!parsed.ok) throw new AppError(parsed.code, parsed.message);
    const concurrent = await this.concurrentSince(baseVersion);
    const transformed = transformAgainstHistory(parsed.value, concurrent);
    const checked = validateOp(transformed, this.doc, this.options.limits);
    if (!checked.ok) throw new AppError(checked.code, checked.message);
    if (changesNothing(checked.value, this.doc)) {
      // Refused, not acknowledged: an acknowledgement names the version its
      // operation committed as, and the SDK applies acknowledgements strictly
      // in version order, taking that version for its own operation (OtClient
      // acknowledge): answering the head would make it skip someone else's
      // operation at that version, or wait for ever when it is at the head.
      // A final refusal is dropped by the SDK and its buffer rebased, which
      // for an operation that changes nothing loses nothing. No row, no
      // version, and no dedupe record: like every refusal, a resend is judged
      // again from the same base, and is refused again unless later history
      // gave it something to change (formatting text someone has since
      // unformatted), when it commits once, as any first send would.
      throw new AppError(
        ErrorCode.OP_CHANGES_NOTHING,
        'the operation changes nothing; nothing was committed',
      );
    }
    return checked.value;
  }

  /**
   * Refuses a version past this actor's head (an operation's base, a
   * restore's target). A client only ever knows committed versions, so when the log holds that version the stale one
   * is this actor: during a hand-over the previous owner's last commit can
   * land after this actor loaded (the fence refuses only writes, and this
   * actor has written nothing since). It dies, so that the next request loads
   * the document again, and answers NOT_OWNER, which the gateway retries;
   * VERSION_AHEAD, which the client cannot get past, is only for a version
   * the log does not hold either.
   */
  private async refuseAhead(version: number): Promise<never> {
    const logHead = await this.ports.store.head(this.docId).catch((error: unknown) => {
      throw new AppError(ErrorCode.UNAVAILABLE, 'the document head could not be read; resend', {
        cause: error,
      });
    });
    if (logHead !== null && logHead >= version) {
      const stale = new AppError(
        ErrorCode.NOT_OWNER,
        `the log of ${this.docId} is at version ${logHead}, past this owner's ${this.version}`,
      );
      this.die(stale);
      throw stale;
    }
    throw new AppError(
      ErrorCode.VERSION_AHEAD,
      `version ${version} is ahead of head version ${this.version}`,
    );
  }

  /**
   * The operation that turns the document at head into its content at
   * `toVersion` (quill-delta's document diff), validated like any operation
   * (a restore is subject to the same size limits); undefined when the two
   * are equal. The old content comes from PostgreSQL (nearest snapshot plus
   * the operations after it), which holds everything up to head because
   * runBatches commits what is staged before a restore.
   */
  private async restoreDiff(restore: RestoreSubmission): Promise<Delta | undefined> {
    const { toVersion } = restore;
    if (toVersion > this.version) await this.refuseAhead(toVersion);
    if (toVersion === this.version) return undefined;
    const target = new Delta(await this.ports.store.contentAt(this.docId, toVersion));
    const diff = this.doc.toDelta().diff(target);
    if (diff.ops.length === 0) return undefined;
    const checked = validateOp(diff, this.doc, this.options.limits);
    if (!checked.ok) throw new AppError(checked.code, checked.message);
    return checked.value;
  }

  /**
   * Keeps the latest record per client, most recently used last, and forgets
   * the oldest beyond a bound: a forgotten client costs one query on its next
   * operation, never a wrong answer.
   */
  private remember(key: string, record: ClientRecord): void {
    this.clients.delete(key);
    this.clients.set(key, record);
    if (this.clients.size > MAX_CLIENT_RECORDS) {
      const oldest = this.clients.keys().next().value;
      if (oldest !== undefined) this.clients.delete(oldest);
    }
  }

  /** The committed operations after `baseVersion`, from the window or PostgreSQL. */
  private async concurrentSince(baseVersion: number): Promise<readonly Delta[]> {
    const fromWindow = this.window.since(baseVersion);
    if (fromWindow.ok) return fromWindow.value;
    // Older than the window: read the gap from the log. Everything the window
    // does not hold is durable (the window holds at least the staged ops).
    const oldest = this.window.oldestBaseVersion;
    const older = await this.ports.store.opsBetween(this.docId, baseVersion, oldest);
    if (older.length !== oldest - baseVersion) {
      throw new AppError(ErrorCode.VERSION_TOO_OLD, `history after version ${baseVersion} is not available`);
    }
    const rest = this.window.since(oldest);
    return [...older.map((o) => o.op), ...(rest.ok ? rest.value : [])];
  }

  private async commit(staged: Staged[]): Promise<void> {
    const first = staged[0].row.version;
    const last = staged[staged.length - 1].row.version;
    try {
      await this.ports.store.append(staged.map((s) => s.row));
    } catch (error) {
      if (error instanceof FenceViolationError && error.reason === FenceViolationReason.CLIENT_SEQ_TAKEN) {
        await this.refuseTakenSeq(staged);
        return;
      }
      if (error instanceof FenceViolationError) this.ports.fenced?.(this.docId, first);
      const reason =
        error instanceof FenceViolationError
          ? new AppError(
              ErrorCode.NOT_OWNER,
              `version ${first} of ${this.docId} was written by another owner`,
            )
          : new AppError(ErrorCode.UNAVAILABLE, 'the operation could not be stored; resend it');
      this.die(reason);
      for (const s of staged) {
        s.settle.reject(reason);
        s.pending.reject(reason);
      }
      return;
    }
    this.durableVersion = last;
    this.ports.publish({
      docId: this.docId,
      ops: staged.map(({ row }) => ({
        docId: this.docId,
        version: row.version,
        delta: row.delta as CommittedOp['delta'],
        clientId: row.clientId,
        seq: row.seq,
        userId: row.userId,
      })),
      exceptSocket: soleSubmitter(staged),
    });
    // Replies go after the broadcast is handed to Redis: a submitter left out of
    // it learns of its commit only from the reply.
    for (const s of staged) {
      s.settle.resolve(s.row.version);
      s.pending.resolve(s.row.version);
    }
    this.ports.committed(this.docId, first, last, staged[staged.length - 1].pending.submission.correlationId);
  }

  /**
   * The log refused a group commit because one of its (user, clientId, seq)
   * keys is taken: a client reused a seq for another operation, committed
   * before what the window holds (answeredBefore lets the unique key catch
   * that), or another owner committed one of these very submissions. Nothing
   * was written, but the batch is applied in memory, so the actor dies (the
   * next request reloads the document). The log, read now, says which
   * submission holds a taken key with another operation: it gets SEQ_REUSED,
   * as a lookup before the commit would have answered, so its resend cannot
   * loop. The others get NOT_OWNER, which the gateway resends, to a fresh actor.
   */
  private async refuseTakenSeq(staged: readonly Staged[]): Promise<void> {
    const reason = new AppError(
      ErrorCode.NOT_OWNER,
      `a (clientId, seq) of ${this.docId} was already in the log; the document is reloaded`,
    );
    this.die(reason);
    const stored = await Promise.all(
      staged.map(({ row }) =>
        this.ports.store.findBySeq(this.docId, row.userId, row.clientId, row.seq).catch(() => null),
      ),
    );
    let reused = false;
    staged.forEach((s, i) => {
      const taken = stored[i];
      const refusal =
        taken && taken.submissionHash !== s.row.submissionHash
          ? seqReused(s.row.clientId, s.row.seq)
          : reason;
      if (refusal !== reason) reused = true;
      s.settle.reject(refusal);
      s.pending.reject(refusal);
    });
    // No reused seq found: another owner wrote this key (or the lookup failed), a stale owner's fence.
    if (!reused) this.ports.fenced?.(this.docId, staged[0].row.version);
  }

  private die(reason: AppError): void {
    if (this.dead) return;
    this.dead = reason;
    this.failQueued(reason);
    this.ports.died(this.docId, this);
  }
}

/**
 * The socket that submitted every operation of a commit, when there is one
 * and the gateway named it; a commit with anyone else's operation (or a
 * restore) goes to every socket of the room.
 */
function soleSubmitter(staged: readonly Staged[]): string | undefined {
  const [first, ...rest] = staged.map((s) => s.pending.submission);
  const socketId = first?.kind === 'op' ? first.socketId : undefined;
  if (socketId === undefined) return undefined;
  return rest.every((w) => w.kind === 'op' && w.socketId === socketId) ? socketId : undefined;
}

function seqReused(clientId: string, seq: number): AppError {
  return new AppError(
    ErrorCode.SEQ_REUSED,
    `seq ${seq} of client ${clientId} was used for another operation`,
  );
}

function toAppError(error: unknown): AppError {
  if (error instanceof AppError) return error;
  // A failed dedupe or history read (PostgreSQL unreachable): nothing was applied, the client may resend.
  return new AppError(ErrorCode.UNAVAILABLE, 'the operation could not be processed now; resend it');
}
