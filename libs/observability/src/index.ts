export * from './health/observability.module';
export * from './health/observability.options';
export * from './health/probes.controller';
export * from './health/readiness-checks';
export * from './logging/create-logger';
export * from './metrics/metric-names';
export * from './metrics/metrics-registry';
export * from './metrics/service-metrics';
