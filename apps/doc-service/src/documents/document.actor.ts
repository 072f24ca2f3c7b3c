// About 400 lines: what is left here is the queue, staging and group commit,
// which share the actor's state (its version, the write in flight, its death)
// and read best in one place. The steps that need only a view of that state
// have their own files: actor-dedupe, actor-transform, actor-restore.
import { AppError, ErrorCode, type LoadResult } from '@collab/contracts';
import { classifyError } from '@collab/observability';
import { OperationWindow, type ChunkedDocument } from '@collab/ot';
import { FenceViolationError, FenceViolationReason, type NewOperation } from '@collab/persistence';
import type Delta from 'quill-delta';
import { ActorDedupe, type WindowEntry } from './actor-dedupe';
import type { ActorOptions, ActorPorts } from './actor-ports';
import { restoreDiff, type RestoreSubmission } from './actor-restore';
import { transformToHead } from './actor-transform';
import {
  type LoadWaiter,
  type Pending,
  soleSubmitter,
  type Staged,
  type Submission,
  type Work,
} from './actor-work';
import { toCommittedOp } from './committed-op';
import type { RecentOp } from './document-store';
import { restoreSubmissionHash, submissionHash } from './submission-hash';

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
 *    unique (document, user, clientId, seq) key of the log backs it up
 *    (ActorDedupe).
 * 2. A base version ahead of head is a protocol error (VERSION_AHEAD), unless
 *    the log holds it: then this actor is the stale one (see refuseAhead).
 * 3. Transform against every operation after the base (the in-memory window,
 *    older ones from PostgreSQL), validate against the current document
 *    (libs/ot; transformToHead), apply in memory. A restore is the diff to
 *    the old content instead (restoreDiff), and is staged like an operation.
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
  private readonly dedupe: ActorDedupe;
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
    private readonly doc: ChunkedDocument,
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
    this.dedupe = new ActorDedupe(docId, ports.store, this.window);
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
          // A failed dedupe or history read (PostgreSQL unreachable) is UNAVAILABLE:
          // nothing was applied, the client may resend; anything else is a bug,
          // INTERNAL. The cause stays on the error for the inbox to log once.
          pending.reject(classifyError(error));
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
    // A resend carries what its original was made at: an operation's base
    // version, a restore's target. Either committed, if it did, after that.
    const madeAt = work.kind === 'op' ? work.baseVersion : work.toVersion;
    if (await this.dedupe.answeredBefore(pending, hash, madeAt)) return undefined;

    const op = work.kind === 'op' ? await this.transformed(work) : await this.restored(work);
    if (op === undefined) {
      // Restoring the content the document already has: no version is made,
      // and a resend of this restore gets the same answer while we remember it.
      this.dedupe.remember(work, {
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
    this.dedupe.remember(work, { seq, hash, version: this.version, durable });
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

  /** An operation transformed to head (actor-transform), once this actor knows its base is not past it. */
  private async transformed(submission: Submission): Promise<Delta> {
    const { baseVersion, delta } = submission;
    if (baseVersion > this.version) await this.refuseAhead(baseVersion);
    const { docId, doc, window } = this;
    const { store } = this.ports;
    return transformToHead({ docId, doc, window, store, limits: this.options.limits }, baseVersion, delta);
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
   * The operation that restores `toVersion` (actor-restore), once this actor
   * knows it is not stale: a target past its head is refused like a base
   * version past it.
   */
  private async restored(restore: RestoreSubmission): Promise<Delta | undefined> {
    if (restore.toVersion > this.version) await this.refuseAhead(restore.toVersion);
    const { docId, doc, version } = this;
    return restoreDiff(
      { docId, doc, version, store: this.ports.store, limits: this.options.limits },
      restore.toVersion,
    );
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
          : new AppError(ErrorCode.UNAVAILABLE, 'the operation could not be stored; resend it', {
              cause: error,
            });
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
      ops: staged.map(({ row }) => toCommittedOp(this.docId, row)),
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
   * keys is taken (a reused seq, or another owner's commit of the same
   * submission: ActorDedupe.takenSeqRefusals tells which). Nothing was
   * written, but the batch is applied in memory, so the actor dies (the next
   * request reloads the document) before the log is read.
   */
  private async refuseTakenSeq(staged: readonly Staged[]): Promise<void> {
    const reason = new AppError(
      ErrorCode.NOT_OWNER,
      `a (clientId, seq) of ${this.docId} was already in the log; the document is reloaded`,
    );
    this.die(reason);
    const { refusals, reused } = await this.dedupe.takenSeqRefusals(
      staged.map((s) => s.row),
      reason,
    );
    staged.forEach((s, i) => {
      s.settle.reject(refusals[i]);
      s.pending.reject(refusals[i]);
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
