import { AppError, ErrorCode, type LoadResult } from '@collab/contracts';
import { OperationWindow, type ChunkedDocument } from '@collab/ot';
import { FenceViolationError, FenceViolationReason, type NewOperation } from '@collab/persistence';
import type Delta from 'quill-delta';
import { ActorDedupe, type WindowEntry } from './actor-dedupe';
import type { ActorOptions, ActorPorts } from './actor-ports';
import { restoreDiff, type RestoreSubmission } from './actor-restore';
import { transformToHead } from './actor-transform';
import { type Pending, soleSubmitter, type Staged, type Submission } from './actor-work';
import { toCommittedOp } from './committed-op';
import type { RecentOp } from './document-store';
import { restoreSubmissionHash, submissionHash } from './submission-hash';

/**
 * The write side of one DocumentActor: the in-memory document, its version,
 * and the steps from a submission to a durable version. `stage` dedupes,
 * transforms (or diffs a restore) and applies one submission in memory;
 * `commit` writes a staged batch in one group commit behind the fence, then
 * broadcasts and answers. The actor calls them one at a time, in its queue's
 * order, and never stages while a commit is in flight.
 *
 * `version` runs ahead of `durableVersion` only between a stage and the end
 * of its commit. Whatever leaves that state unknown (a failed write, an
 * operation that cannot be applied, a stale owner) calls `die`: the actor
 * stops, and the next request loads the document again from PostgreSQL.
 */
export class ActorWriter {
  private readonly window: OperationWindow<WindowEntry>;
  private readonly dedupe: ActorDedupe;
  /** The last version known to be in PostgreSQL; `version` runs ahead of it only while a write is in flight. */
  private durable: number;
  /** The most operations one group commit takes. */
  readonly maxBatch: number;

  constructor(
    private readonly docId: string,
    private readonly doc: ChunkedDocument,
    private version: number,
    recent: readonly RecentOp[],
    private readonly ports: ActorPorts,
    private readonly options: ActorOptions,
    /** The actor can no longer serve: its in-memory state is wrong or unknown. */
    private readonly die: (reason: AppError) => void,
  ) {
    this.durable = version;
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

  /** The durable head version. */
  get durableVersion(): number {
    return this.durable;
  }

  /** The document in memory, at `version` (durable when no write is in flight). */
  snapshot(): LoadResult {
    return { version: this.version, content: this.doc.toDelta().ops as LoadResult['content'] };
  }

  /**
   * Dedupes, then transforms and validates (an operation) or diffs (a
   * restore), and applies the result in memory. Returns the staged row, or
   * undefined when the submission was answered without a new version (a
   * resend, or a restore that changes nothing).
   */
  async stage(pending: Pending): Promise<Staged | undefined> {
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

  async commit(staged: Staged[]): Promise<void> {
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
    this.durable = last;
    this.ports.publish({
      docId: this.docId,
      ops: staged.map(({ row }) => toCommittedOp(this.docId, row)),
      exceptSocket: soleSubmitter(staged),
    });
    // The broadcast is emitted in the next turn, after the replies this turn
    // settles (OpPublisher): a submitter left out of it learns of its commit
    // from the reply, and gets it without waiting for the room's fan-out.
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
}
