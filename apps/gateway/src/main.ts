import 'reflect-metadata';
import { bootService } from '@collab/config';
import { createLogger } from '@collab/observability';
import { loadConfig } from './config/env';
import { createGatewayApp } from './gateway.app';

bootService(
  'gateway',
  () => loadConfig(process.env),
  async (config) => {
    const log = createLogger({ service: 'gateway', instance: config.GATEWAY_ID, level: config.LOG_LEVEL });
    const app = await createGatewayApp(config, log);
    // SIGTERM/SIGINT close sockets, the router and connections.
    app.enableShutdownHooks();
    await app.listen(config.PORT, '0.0.0.0');
    log.info({ port: config.PORT }, 'gateway listening');
  },
);
