import { AppError, ErrorCode } from '@collab/contracts';
import type { OperationWindow } from '@collab/ot';
import type { NewOperation } from '@collab/persistence';
import type { DocumentStorePort } from './actor-ports';
import type { OpOrigin } from './document-store';

/** Who sent a submission, and under which sequence number: the dedupe key within a document. */
export interface SubmissionKey {
  readonly userId: string;
  readonly clientId: string;
  readonly seq: number;
}

/** A submission waiting for its answer: a resend is answered with its original version. */
export interface DedupeRequest {
  readonly submission: SubmissionKey;
  readonly resolve: (version: number) => void;
  readonly reject: (error: AppError) => void;
}

/** What the actor remembers of a client's latest operation, for dedupe without a query. */
export interface ClientRecord {
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
export interface WindowEntry extends OpOrigin {
  readonly durable?: Promise<number>;
}

const MAX_CLIENT_RECORDS = 10_000;

const clientKey = (userId: string, clientId: string) => `${userId}\u0000${clientId}`;

/**
 * The actor's dedupe record on (user, clientId, seq): the latest record of
 * each client, and the lookups in the actor's window and in the log. The
 * record of truth is the log (every row keeps its key and submission hash,
 * under a unique key); this only saves the query where it can prove the
 * answer without it.
 */
export class ActorDedupe {
  private readonly clients = new Map<string, ClientRecord>();

  constructor(
    private readonly docId: string,
    private readonly store: DocumentStorePort,
    private readonly window: OperationWindow<WindowEntry>,
  ) {}

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
   * log's unique key refuses that commit, and `takenSeqRefusals` answers it
   * SEQ_REUSED then, as a lookup would have.
   */
  async answeredBefore(pending: DedupeRequest, hash: string, madeAt: number): Promise<boolean> {
    const { userId, clientId, seq } = pending.submission;
    const key = clientKey(userId, clientId);
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
      if (!known)
        this.remember(pending.submission, { seq, hash, version: found.version, durable: found.durable });
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
   * Keeps the latest record per client, most recently used last, and forgets
   * the oldest beyond a bound: a forgotten client costs one query on its next
   * operation, never a wrong answer.
   */
  remember(client: Pick<SubmissionKey, 'userId' | 'clientId'>, record: ClientRecord): void {
    const key = clientKey(client.userId, client.clientId);
    this.clients.delete(key);
    this.clients.set(key, record);
    if (this.clients.size > MAX_CLIENT_RECORDS) {
      const oldest = this.clients.keys().next().value;
      if (oldest !== undefined) this.clients.delete(oldest);
    }
  }

  /**
   * The log refused a group commit because one of its (user, clientId, seq)
   * keys is taken: a client reused a seq for another operation, committed
   * before what the window holds (answeredBefore lets the unique key catch
   * that), or another owner committed one of these very submissions. The log,
   * read now, says which submission holds a taken key with another
   * operation: it gets SEQ_REUSED, as a lookup before the commit would have
   * answered, so its resend cannot loop. The others get `otherwise`
   * (NOT_OWNER, which the gateway resends, to a fresh actor).
   *
   * @returns the refusal of each row, in order, and whether any was a reused
   *   seq (none: another owner wrote the key, or the lookup failed).
   */
  async takenSeqRefusals(
    rows: readonly NewOperation[],
    otherwise: AppError,
  ): Promise<{ refusals: AppError[]; reused: boolean }> {
    const stored = await Promise.all(
      rows.map((row) =>
        this.store.findBySeq(this.docId, row.userId, row.clientId, row.seq).catch(() => null),
      ),
    );
    let reused = false;
    const refusals = rows.map((row, i) => {
      const taken = stored[i];
      if (!taken || taken.submissionHash === row.submissionHash) return otherwise;
      reused = true;
      return seqReused(row.clientId, row.seq);
    });
    return { refusals, reused };
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
    const stored = await this.store.findBySeq(this.docId, userId, clientId, seq);
    if (!stored) return null;
    return { version: stored.version, hash: stored.submissionHash, durable: Promise.resolve(stored.version) };
  }
}

function seqReused(clientId: string, seq: number): AppError {
  return new AppError(
    ErrorCode.SEQ_REUSED,
    `seq ${seq} of client ${clientId} was used for another operation`,
  );
}
