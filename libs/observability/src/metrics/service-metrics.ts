import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
import { MetricName } from './metric-names';
import { codeLabel } from './metrics-registry';

/**
 * Seconds; an acknowledgement is expected within tens of milliseconds, a
 * timeout takes seconds. Fine between 5 and 50 ms, where the light-load tail lives (the
 * issue's targets are a p99 of 10 and a p99.9 of 25 ms): with a 10 -> 25 ms
 * step, a p99 anywhere in between was only an interpolation.
 */
const LATENCY_BUCKETS = [
  0.001, 0.0025, 0.005, 0.0075, 0.01, 0.015, 0.02, 0.025, 0.03, 0.04, 0.05, 0.075, 0.1, 0.25, 0.5, 1, 2.5, 5,
  10,
];
/** Seconds; a commit statement (one WAL flush) takes about a millisecond when idle, and its tail is what matters. */
const COMMIT_BUCKETS = [
  0.0005, 0.001, 0.002, 0.003, 0.005, 0.0075, 0.01, 0.015, 0.02, 0.03, 0.05, 0.1, 0.25, 1,
];
/** Operations per INSERT: 1 when idle, more under load (bounded by half the history window). */
const BATCH_BUCKETS = [1, 2, 4, 8, 16, 32, 64, 128, 256, 512];
/** Seconds; a job folds up to thousands of operations. */
const JOB_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60];

/** Operations received, committed and refused, and the acknowledgement latency. */
export class OperationMetrics {
  readonly received: Counter;
  readonly committed: Counter;
  readonly refused: Counter<'code'>;
  readonly ackSeconds: Histogram;

  constructor(
    registry: Registry,
    ackHelp = 'Seconds from an operation received to its acknowledgement sent.',
  ) {
    this.received = new Counter({
      name: MetricName.OpsReceived,
      help: 'Operations received.',
      registers: [registry],
    });
    this.committed = new Counter({
      name: MetricName.OpsCommitted,
      help: 'Operations acknowledged with their committed version (resends included).',
      registers: [registry],
    });
    this.refused = new Counter({
      name: MetricName.OpsRefused,
      help: 'Operations refused, by error code.',
      labelNames: ['code'],
      registers: [registry],
    });
    this.ackSeconds = new Histogram({
      name: MetricName.OpAckSeconds,
      help: ackHelp,
      buckets: LATENCY_BUCKETS,
      registers: [registry],
    });
  }

  /** One operation answered: committed (`code` undefined) or refused with `code`. */
  answered(seconds: number, code?: string): void {
    if (code === undefined) {
      this.committed.inc();
      this.ackSeconds.observe(seconds);
    } else {
      this.refused.inc({ code: codeLabel(code) });
    }
  }
}

/** Open sockets (read when scraped) and joins by outcome. */
export class SocketMetrics {
  readonly joins: Counter<'outcome'>;

  constructor(registry: Registry, sockets: () => number) {
    new Gauge({
      name: MetricName.Sockets,
      help: 'Open Socket.IO connections.',
      registers: [registry],
      collect() {
        this.set(sockets());
      },
    });
    this.joins = new Counter({
      name: MetricName.Joins,
      help: 'Document joins answered, by outcome (ok or the error code).',
      labelNames: ['outcome'],
      registers: [registry],
    });
  }

  joined(code?: string): void {
    this.joins.inc({ outcome: code === undefined ? 'ok' : codeLabel(code) });
  }
}

/** The doc-service ring as this process sees it. */
export class MembershipMetrics {
  readonly changes: Counter;
  readonly moves: Counter;

  constructor(registry: Registry, members: () => number) {
    new Gauge({
      name: MetricName.MembershipSize,
      help: 'Live doc-service members on the ring.',
      registers: [registry],
      collect() {
        this.set(members());
      },
    });
    this.changes = new Counter({
      name: MetricName.RingChanges,
      help: 'Changes of the live doc-service member set.',
      registers: [registry],
    });
    this.moves = new Counter({
      name: MetricName.RingMoves,
      help: 'Open documents handed over to another owner after a ring change.',
      registers: [registry],
    });
  }
}

/** Document actors of one doc-service: how many are open, how long loading takes, commit batch sizes. */
export class ActorMetrics {
  readonly loadSeconds: Histogram;
  readonly batchSize: Histogram;
  /** Documents whose group commits shared one statement (GroupCommitter): above 1 under load. */
  readonly statementDocuments: Histogram;
  /** Seconds from a commit statement sent to PostgreSQL's answer (durable, or refused): the owner's share of an ack. */
  readonly statementSeconds: Histogram;
  /**
   * Group commits the database refused because another owner had written
   * those versions (the (document_id, version) fence): each one is a stale
   * owner, e.g. a process paused past its membership, caught before it forked
   * the history.
   */
  readonly fenceRefusals: Counter;

  constructor(registry: Registry, openActors: () => number) {
    new Gauge({
      name: MetricName.OpenActors,
      help: 'Document actors open on this instance.',
      registers: [registry],
      collect() {
        this.set(openActors());
      },
    });
    this.loadSeconds = new Histogram({
      name: MetricName.ActorLoadSeconds,
      help: 'Seconds to load a document actor (newest snapshot plus later operations).',
      buckets: LATENCY_BUCKETS,
      registers: [registry],
    });
    this.batchSize = new Histogram({
      name: MetricName.GroupCommitBatchSize,
      help: 'Operations written by one group commit.',
      buckets: BATCH_BUCKETS,
      registers: [registry],
    });
    this.statementDocuments = new Histogram({
      name: MetricName.CommitStatementDocuments,
      help: 'Documents whose group commits were written by one shared statement.',
      buckets: BATCH_BUCKETS,
      registers: [registry],
    });
    this.statementSeconds = new Histogram({
      name: MetricName.CommitStatementSeconds,
      help: 'Seconds from a group commit statement sent to its answer (durable or refused).',
      buckets: COMMIT_BUCKETS,
      registers: [registry],
    });
    this.fenceRefusals = new Counter({
      name: MetricName.FenceRefusals,
      help: 'Group commits refused by the database fence: another owner had written those versions.',
      registers: [registry],
    });
  }
}

/** The job counts a queue reports (BullMQ's `getJobCounts`). */
export interface QueueCounts {
  readonly name: string;
  getJobCounts(...states: QueueState[]): Promise<Record<string, number>>;
}

export const QueueState = ['waiting', 'active', 'delayed', 'failed'] as const;
export type QueueState = (typeof QueueState)[number];

/** Queue depth by state (read from Redis when scraped) and job durations by outcome. */
export class QueueMetrics {
  readonly jobSeconds: Histogram<'queue' | 'outcome'>;

  constructor(registry: Registry, queues: readonly QueueCounts[], onError: (error: unknown) => void) {
    new Gauge({
      name: MetricName.QueueJobs,
      help: 'Jobs in the queue by state (waiting, active, delayed, failed).',
      labelNames: ['queue', 'state'],
      registers: [registry],
      async collect() {
        for (const queue of queues) {
          try {
            const counts = await queue.getJobCounts(...QueueState);
            for (const state of QueueState) this.set({ queue: queue.name, state }, counts[state] ?? 0);
          } catch (error) {
            // Redis away: the scrape still answers (with the last values); readiness reports it.
            onError(error);
          }
        }
      },
    });
    this.jobSeconds = new Histogram({
      name: MetricName.JobSeconds,
      help: 'Seconds one job took, by queue and outcome.',
      labelNames: ['queue', 'outcome'],
      buckets: JOB_BUCKETS,
      registers: [registry],
    });
  }
}
