/** What the socket edge refused or dropped, by kind. */
export const GuardCounter = {
  /** Events outside the protocol, dropped. */
  UnknownEvents: 'gateway_unknown_events_total',
  /** Operations and events refused with RATE_LIMITED. */
  RateLimited: 'gateway_rate_limited_total',
  /** Sockets cut off after repeated refusals. */
  AbuseDisconnects: 'gateway_abuse_disconnects_total',
  /** Handshakes refused for their Origin. */
  ForeignOrigins: 'gateway_foreign_origin_handshakes_total',
  /** Handshakes refused because the user had too many sockets. */
  TooManySockets: 'gateway_too_many_sockets_total',
  /** Sockets closed because their access token expired. */
  ExpiredSessions: 'gateway_expired_sessions_total',
} as const;

export type GuardCounter = (typeof GuardCounter)[keyof typeof GuardCounter];

const HELP: { readonly [C in GuardCounter]: string } = {
  gateway_unknown_events_total: 'Socket events outside the protocol, dropped.',
  gateway_rate_limited_total: 'Socket events refused with RATE_LIMITED.',
  gateway_abuse_disconnects_total: 'Sockets disconnected after repeated refusals.',
  gateway_foreign_origin_handshakes_total: 'Socket handshakes refused for their Origin.',
  gateway_too_many_sockets_total: 'Socket handshakes refused because the user had too many sockets.',
  gateway_expired_sessions_total: 'Sockets closed because their access token expired.',
};

/** Counters of this gateway process, served at /metrics in the Prometheus text format. */
export class GatewayMetrics {
  private readonly counts = new Map<GuardCounter, number>(
    Object.values(GuardCounter).map((counter) => [counter, 0]),
  );

  increment(counter: GuardCounter): void {
    this.counts.set(counter, (this.counts.get(counter) ?? 0) + 1);
  }

  value(counter: GuardCounter): number {
    return this.counts.get(counter) ?? 0;
  }

  /** The Prometheus text exposition of every counter. */
  render(): string {
    return [...this.counts]
      .map(([name, value]) => `# HELP ${name} ${HELP[name]}\n# TYPE ${name} counter\n${name} ${value}\n`)
      .join('');
  }
}
