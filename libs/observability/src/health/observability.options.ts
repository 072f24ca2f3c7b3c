import type { Registry } from 'prom-client';
import type { ReadinessCheck } from './readiness-checks';

/** Injection token of {@link ObservabilityOptions}. */
export const OBSERVABILITY_OPTIONS = Symbol('OBSERVABILITY_OPTIONS');

/** What one service exposes at /healthz, /readyz and /metrics. */
export interface ObservabilityOptions {
  /** The service's metrics, rendered at /metrics. */
  readonly registry: Registry;
  /**
   * When set, /metrics answers only requests that bear it
   * (`Authorization: Bearer <token>`; Prometheus: `authorization.credentials`):
   * the gateway's port is public through the Ingress, and the metrics tell an
   * outsider how busy the service is and which errors it returns. The probes
   * stay open (the kubelet and load balancers call them without credentials).
   */
  readonly metricsToken?: string;
  /** Identity fields added to the liveness answer (`{ ok: true, ...fields }`). */
  readonly liveness?: () => Record<string, unknown>;
  /** Every dependency readiness needs; all are checked on each probe, in parallel. */
  readonly readiness: readonly ReadinessCheck[];
  /** A check that takes longer is down (probes time out after a few seconds). Default 2000. */
  readonly readinessTimeoutMs?: number;
  /** Told when readiness changes (not on every probe). */
  readonly onReadinessChange?: (ready: boolean, failing: readonly string[]) => void;
}
