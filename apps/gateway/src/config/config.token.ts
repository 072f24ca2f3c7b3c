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
 * The Redis connection of the editing path: the per-user operation limit,
 * and requests to owners that no owner link reaches (see app.module for why
 * it is not auto-pipelined). Kept apart from GATEWAY_REDIS so that the
 * editing path's commands never queue behind the rest of the gateway's.
 */
export const GATEWAY_OPS_REDIS = Symbol('GATEWAY_OPS_REDIS');
