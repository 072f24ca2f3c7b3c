export { DocServiceModule } from './app.module';
export { ConfigError, loadConfig, type DocServiceConfig } from './config/env';
export { DocServiceRuntime } from './doc-service.runtime';
