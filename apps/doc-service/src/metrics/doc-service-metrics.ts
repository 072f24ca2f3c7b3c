import type { DocServiceReply, DocServiceRequest } from '@collab/contracts';
import {
  ActorMetrics,
  createMetricsRegistry,
  MembershipMetrics,
  OperationMetrics,
} from '@collab/observability';
import type { Registry } from 'prom-client';
import type { Logger } from 'pino';

/** Where the gauges read from when scraped. */
export interface DocServiceMetricSources {
  openActors(): number;
  members(): number;
}

/**
 * The metrics of one doc-service instance, served at /metrics: operations
 * received from gateways, acknowledged and refused by code, the time from
 * request received to reply, group-commit batch sizes, open actors and their
 * load time, the ring (size, changes, documents handed over), and Node's
 * default metrics.
 */
export class DocServiceMetrics {
  readonly registry: Registry = createMetricsRegistry();
  readonly ops = new OperationMetrics(
    this.registry,
    'Seconds from an operation request received to its reply published.',
  );
  readonly actors: ActorMetrics;
  readonly membership: MembershipMetrics;

  constructor(sources: DocServiceMetricSources) {
    this.actors = new ActorMetrics(this.registry, () => sources.openActors());
    this.membership = new MembershipMetrics(this.registry, () => sources.members());
  }

  /**
   * Observes one request from the inbox: counts an operation when it arrives
   * and its outcome when answered, with a debug line carrying the request's
   * correlation id (the gateway's lines about the operation carry the same).
   */
  request(request: DocServiceRequest, log: Logger): (reply: DocServiceReply) => void {
    if (request.type !== 'op') return () => undefined;
    const started = performance.now();
    this.ops.received.inc();
    // A child logger costs pino a copy of its bindings and redaction: only when its lines are written.
    const opLog = log.isLevelEnabled('debug')
      ? log.child({ correlationId: request.correlationId })
      : undefined;
    opLog?.debug({ docId: request.docId, clientId: request.clientId, seq: request.seq }, 'op received');
    return (reply) => {
      const seconds = (performance.now() - started) / 1000;
      if (reply.ok) {
        this.ops.answered(seconds);
        opLog?.debug({ ms: seconds * 1000, result: reply.result }, 'op committed');
      } else {
        this.ops.answered(seconds, reply.error.code);
        opLog?.debug({ code: reply.error.code }, 'op refused');
      }
    };
  }
}
