/** Injection tokens for what main.ts builds before Nest starts. */
export const GATEWAY_CONFIG = Symbol('GATEWAY_CONFIG');
export const GATEWAY_LOGGER = Symbol('GATEWAY_LOGGER');

/**
 * The gateway's shared Redis connection and PostgreSQL DataSource, made by
 * GatewayModule and exported globally, so feature modules inject them
 * without importing app.module (which imports them).
 */
export const GATEWAY_REDIS = Symbol('GATEWAY_REDIS');
export const GATEWAY_DATA_SOURCE = Symbol('GATEWAY_DATA_SOURCE');

/**
 * The Redis connection of the editing path (doc-service requests, the
 * per-user operation limit), auto-pipelined: every command of one tick, from
 * many sockets at once, leaves in one socket write, and on that path the cost
 * is the number of writes, not the bytes. Kept apart from GATEWAY_REDIS:
 * an auto-pipelined command leaves on the next tick, after a MULTI issued
 * later in the same tick, and the document cache's generation check relies
 * on its commands reaching Redis in program order.
 */
export const GATEWAY_OPS_REDIS = Symbol('GATEWAY_OPS_REDIS');
