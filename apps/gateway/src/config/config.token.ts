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
