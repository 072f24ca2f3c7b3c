import {
  createMetricsRegistry,
  MembershipMetrics,
  OperationMetrics,
  SocketMetrics,
} from '@collab/observability';
import { Counter, Histogram, type Registry } from 'prom-client';

/** What the socket edge refused or dropped, by kind. */
export const GuardCounter = {
  /** Events outside the protocol, dropped. */
  UnknownEvents: 'collab_gateway_unknown_events_total',
  /** Operations and events refused with RATE_LIMITED. */
  RateLimited: 'collab_gateway_rate_limited_total',
  /** Sockets cut off after repeated refusals. */
  AbuseDisconnects: 'collab_gateway_abuse_disconnects_total',
  /** Handshakes refused for their Origin. */
  ForeignOrigins: 'collab_gateway_foreign_origin_handshakes_total',
  /** Handshakes refused because the user had too many sockets. */
  TooManySockets: 'collab_gateway_too_many_sockets_total',
  /** Sockets closed because their access token expired. */
  ExpiredSessions: 'collab_gateway_expired_sessions_total',
} as const;

export type GuardCounter = (typeof GuardCounter)[keyof typeof GuardCounter];

const HELP: { readonly [C in GuardCounter]: string } = {
  collab_gateway_unknown_events_total: 'Socket events outside the protocol, dropped.',
  collab_gateway_rate_limited_total: 'Socket events refused with RATE_LIMITED.',
  collab_gateway_abuse_disconnects_total: 'Sockets disconnected after repeated refusals.',
  collab_gateway_foreign_origin_handshakes_total: 'Socket handshakes refused for their Origin.',
  collab_gateway_too_many_sockets_total: 'Socket handshakes refused because the user had too many sockets.',
  collab_gateway_expired_sessions_total: 'Sockets closed because their access token expired.',
};

/** The parts of an operation's time in the gateway (see {@link GatewayMetrics.opStages}). */
export type OpStage = 'checks' | 'route';

/** Finer than the ack histogram's buckets: these parts are a few milliseconds each. */
const STAGE_BUCKETS = [
  0.0005, 0.001, 0.002, 0.003, 0.005, 0.0075, 0.01, 0.015, 0.02, 0.03, 0.05, 0.1, 0.25, 1,
];

/** Where the gauges read from when scraped; bound once the Socket.IO server and router exist. */
export interface GatewayMetricSources {
  sockets(): number;
  members(): number;
}

/**
 * The metrics of one gateway process, served at /metrics (libs/observability):
 * sockets, joins, operations received / acknowledged / refused by code, the
 * acknowledgement latency (operation received to ack sent), the doc-service
 * ring as this gateway sees it, the socket edge's refusals, and Node's
 * default metrics.
 */
export class GatewayMetrics {
  readonly registry: Registry = createMetricsRegistry();
  readonly ops = new OperationMetrics(
    this.registry,
    'Seconds from an operation received on a socket to its acknowledgement sent.',
  );
  /**
   * An operation's time in the gateway by part: `checks` from its frame
   * received to its request sent to the owner (parsing, the per-user limit,
   * which may take a Redis round trip, and the role), `route` from there to
   * the owner's reply read (the owner link or the inbox's two Redis hops,
   * the owner's work, and this event loop's delay in reading the reply). What a tail of
   * `collab_op_ack_seconds` is made of.
   */
  readonly opStages = new Histogram<'stage'>({
    name: 'collab_gateway_op_stage_seconds',
    help: 'Seconds of an acknowledged operation in the gateway, by part: checks, or route (request sent to reply read).',
    labelNames: ['stage'],
    buckets: STAGE_BUCKETS,
    registers: [this.registry],
  });
  /** Requests sent to doc-services by the way they went: an owner link, or the owner's Redis inbox. */
  readonly routed = new Counter<'path'>({
    name: 'collab_gateway_routed_requests_total',
    help: 'Requests sent to doc-services, by path: link (a direct owner link) or inbox (Redis).',
    labelNames: ['path'],
    registers: [this.registry],
  });
  private sources: GatewayMetricSources = { sockets: () => 0, members: () => 0 };
  readonly sockets = new SocketMetrics(this.registry, () => this.sources.sockets());
  readonly membership = new MembershipMetrics(this.registry, () => this.sources.members());
  private readonly guards = new Map<GuardCounter, Counter>(
    Object.values(GuardCounter).map((name) => [
      name,
      new Counter({ name, help: HELP[name], registers: [this.registry] }),
    ]),
  );

  bind(sources: GatewayMetricSources): void {
    this.sources = sources;
  }

  increment(counter: GuardCounter): void {
    this.guards.get(counter)?.inc();
  }
}
