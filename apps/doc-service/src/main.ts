import 'reflect-metadata';
import { bootService } from '@collab/config';
import { createLogger } from '@collab/observability';
import { NestFactory } from '@nestjs/core';
import { DocServiceModule } from './app.module';
import { loadConfig } from './config/env';

bootService(
  'doc-service',
  () => loadConfig(process.env),
  async (config) => {
    const log = createLogger({
      service: 'doc-service',
      instance: config.INSTANCE_ID,
      level: config.LOG_LEVEL,
    });
    const app = await NestFactory.create(DocServiceModule.forRoot(config, log), {
      logger: ['error', 'warn'],
    });
    // SIGTERM/SIGINT run the graceful hand-over (leave the ring, flush commits).
    app.enableShutdownHooks();
    await app.listen(config.HTTP_PORT, '0.0.0.0');
    log.info({ port: config.HTTP_PORT }, 'health endpoints listening');
  },
);
