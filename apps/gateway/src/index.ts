export { signAccessToken, type AccessTokenOptions } from './auth/access-token';
export { ConfigError, loadConfig, type GatewayConfig } from './config/env';
export { createGatewayApp } from './gateway.app';
