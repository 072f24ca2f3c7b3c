import { collectDefaultMetrics, Registry } from 'prom-client';

/** Bounds of the GC pause histogram (`collab_nodejs_gc_duration_seconds`). */
const GC_PAUSE_BUCKETS_SECONDS = [0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 1];

/** Every metric name of this system starts with it. */
export const METRIC_PREFIX = 'collab_';

/**
 * A fresh registry for one service, with Node's default metrics under the
 * `collab_` prefix: CPU, memory, handles, GC and the event-loop lag
 * (`collab_nodejs_eventloop_lag_seconds` and its percentiles).
 *
 * Each service (and each service a test starts in one process) gets its own
 * registry rather than prom-client's global one, so two instances in one
 * process never share counters. No default labels: Prometheus adds `job` and
 * `instance` when it scrapes.
 *
 * The event-loop delay histogram samples every 100 ms (prom-client's default
 * is 10 ms, ours was 20): each sample wakes the loop, and an idle service should stay asleep
 * (bench/idle). A stall still shows in full, since the late sample records its
 * whole delay; only stalls shorter than the interval can fall between samples.
 *
 * GC pauses are bucketed finely between 1 and 100 ms (prom-client's default
 * jumps from 10 to 100 ms): a pause of a few milliseconds is what holds every
 * acknowledgement queued behind it, and the latency tail is read against them.
 */
export function createMetricsRegistry(options: { eventLoopMonitoringPrecisionMs?: number } = {}): Registry {
  const registry = new Registry();
  collectDefaultMetrics({
    register: registry,
    prefix: METRIC_PREFIX,
    eventLoopMonitoringPrecision: options.eventLoopMonitoringPrecisionMs ?? 100,
    gcDurationBuckets: GC_PAUSE_BUCKETS_SECONDS,
  });
  return registry;
}

/**
 * A label value safe to export: error codes are a closed set of
 * UPPER_SNAKE names, and anything else (a bug, a foreign error) is `OTHER`,
 * so a label can never grow one series per input.
 */
export function codeLabel(code: unknown): string {
  return typeof code === 'string' && /^[A-Z][A-Z0-9_]{0,47}$/.test(code) ? code : 'OTHER';
}
