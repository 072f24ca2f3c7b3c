import { type AppError, type LoadResult } from '@collab/contracts';
import { classifyError } from '@collab/observability';
import type { ChunkedDocument } from '@collab/ot';
import type { ActorOptions, ActorPorts } from './actor-ports';
import type { RestoreSubmission } from './actor-restore';
import type { LoadWaiter, Pending, Staged, Submission, Work } from './actor-work';
import { ActorWriter } from './actor-writer';
import type { RecentOp } from './document-store';

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
 *    the log holds it: then this actor is the stale one (ActorWriter.refuseAhead).
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
 *
 * This class is the queue: arrival order, batches, joins waiting for durable
 * state, and death. Steps 1 to 5 for one batch are ActorWriter's
 * (actor-writer.ts), with dedupe, transform and restore in actor-dedupe,
 * actor-transform and actor-restore.
 */
export class DocumentActor {
  private readonly writer: ActorWriter;
  private queue: Pending[] = [];
  private loadWaiters: LoadWaiter[] = [];
  /** A batch is being staged or committed: the in-memory document may be ahead of PostgreSQL. */
  private writing = false;
  private dead: AppError | undefined;
  private idleSince = performance.now();
  /** Resolves when the current pump (if any) has drained. */
  private drained: Promise<void> = Promise.resolve();

  constructor(
    readonly docId: string,
    doc: ChunkedDocument,
    version: number,
    recent: readonly RecentOp[],
    private readonly ports: ActorPorts,
    options: ActorOptions,
  ) {
    this.writer = new ActorWriter(docId, doc, version, recent, ports, options, (reason) => this.die(reason));
  }

  /** The durable head version. */
  get headVersion(): number {
    return this.writer.durableVersion;
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
    if (!this.writing) return Promise.resolve(this.writer.snapshot());
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
      const batch = this.queue.splice(0, this.writer.maxBatch);
      let staged: Staged[] = [];
      for (const pending of batch) {
        if (pending.submission.kind === 'restore' && staged.length > 0) {
          // A restore reads the old version from PostgreSQL and diffs against the
          // document as it is: everything staged before it must be durable first.
          await this.writer.commit(staged);
          staged = [];
          if (this.dead) {
            pending.reject(this.dead);
            continue;
          }
        }
        try {
          const entry = await this.writer.stage(pending);
          if (entry) staged.push(entry);
        } catch (error) {
          // A failed dedupe or history read (PostgreSQL unreachable) is UNAVAILABLE:
          // nothing was applied, the client may resend; anything else is a bug,
          // INTERNAL. The cause stays on the error for the inbox to log once.
          pending.reject(classifyError(error));
        }
      }
      if (staged.length > 0) await this.writer.commit(staged);
      // Between batches the document is durable: answer the joins that waited.
      const waiters = this.loadWaiters;
      this.loadWaiters = [];
      if (!this.dead) for (const waiter of waiters) waiter.resolve(this.writer.snapshot());
    }
  }

  private die(reason: AppError): void {
    if (this.dead) return;
    this.dead = reason;
    this.failQueued(reason);
    this.ports.died(this.docId, this);
  }
}
