import 'reflect-metadata';
import { createLogger } from '@collab/observability';
import { ConfigError, type GatewayConfig, loadConfig } from './config/env';
import { createGatewayApp } from './gateway.app';

async function main(): Promise<void> {
  let config: GatewayConfig;
  try {
    config = loadConfig(process.env);
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
      process.exit(2);
    }
    throw error;
  }
  const log = createLogger({ service: 'gateway', instance: config.GATEWAY_ID, level: config.LOG_LEVEL });
  const app = await createGatewayApp(config, log);
  // SIGTERM/SIGINT close sockets, the router and connections.
  app.enableShutdownHooks();
  await app.listen(config.PORT, '0.0.0.0');
  log.info({ port: config.PORT }, 'gateway listening');
}

main().catch((error: unknown) => {
  console.error('gateway failed to start:', error instanceof Error ? error.message : error);
  process.exit(1);
});
