import { endOfTurn } from '@collab/cluster';
import type { GroupOutcome, NewOperation } from '@collab/persistence';

/** Writes several documents' batches in one statement; one outcome per batch, null when committed. */
export type WriteGroups = (batches: readonly (readonly NewOperation[])[]) => Promise<GroupOutcome[]>;

export interface GroupCommitterOptions {
  /** Grouped statements in flight at once. */
  readonly statements: number;
  /** Rows per statement, at most (a single larger batch still goes alone). */
  readonly maxRows: number;
  /** Told the number of documents of each statement as it goes out (metrics). */
  readonly onStatement?: (documents: number) => void;
  /** Told each statement's seconds, from sent to answered (durable or refused; metrics). */
  readonly onAnswered?: (seconds: number) => void;
}

interface Queued {
  readonly rows: readonly NewOperation[];
  readonly resolve: () => void;
  readonly reject: (error: Error) => void;
}

/**
 * Shares PostgreSQL statements between the group commits of this instance's
 * documents. Each actor still commits its own document one batch at a time
 * (its group commit); what arrives from other actors while `statements`
 * writes are in flight waits, and the next statement takes all of it.
 *
 * Under light load nothing waits (a batch goes out in the turn it arrives);
 * under heavy load, many documents' one- or two-operation commits share one
 * round trip, one transaction and one WAL flush, instead of each paying
 * for them, which is most of PostgreSQL's work at that size.
 *
 * Each batch still gets its own outcome (insertOperationGroups): a refused
 * document refuses only its own callers.
 */
export class GroupCommitter {
  private queue: Queued[] = [];
  private inFlight = 0;
  /**
   * Flushes at the end of this turn of the event loop, so that the commits
   * many actors reach in the same turn (one Redis read delivers many
   * requests) share a statement even when one is free.
   */
  private readonly schedule = endOfTurn(() => this.flush());

  constructor(
    private readonly write: WriteGroups,
    private readonly options: GroupCommitterOptions,
  ) {}

  /** Resolves once `rows` (one document's next versions) are durable; rejects with that batch's refusal. */
  append(rows: readonly NewOperation[]): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.queue.push({ rows, resolve, reject });
      this.schedule();
    });
  }

  /** Statements in flight and batches waiting (diagnostics, tests). */
  get load(): { inFlight: number; queued: number } {
    return { inFlight: this.inFlight, queued: this.queue.length };
  }

  private flush(): void {
    while (this.inFlight < this.options.statements && this.queue.length > 0) {
      const group = this.take();
      this.inFlight++;
      this.options.onStatement?.(group.length);
      const sent = performance.now();
      this.write(group.map((q) => q.rows))
        .then(
          (outcomes) =>
            group.forEach((q, i) => {
              const outcome = outcomes[i];
              if (outcome === null) q.resolve();
              else q.reject(outcome ?? new Error('no outcome for a batch of the group'));
            }),
          (error: unknown) => {
            const failure = error instanceof Error ? error : new Error(String(error));
            for (const q of group) q.reject(failure);
          },
        )
        .finally(() => {
          this.options.onAnswered?.((performance.now() - sent) / 1000);
          this.inFlight--;
          this.flush();
        });
    }
  }

  /**
   * The next group: queued batches in arrival order up to maxRows rows (at
   * least one batch), one per document (a second batch of a document, which
   * an actor never sends while its first is in flight, waits for the next).
   */
  private take(): Queued[] {
    const group: Queued[] = [];
    const rest: Queued[] = [];
    const documents = new Set<string>();
    let rows = 0;
    for (const q of this.queue) {
      const documentId = q.rows[0]?.documentId ?? '';
      const fits = group.length === 0 || rows + q.rows.length <= this.options.maxRows;
      if (fits && !documents.has(documentId)) {
        group.push(q);
        documents.add(documentId);
        rows += q.rows.length;
      } else rest.push(q);
    }
    this.queue = rest;
    return group;
  }
}
