import 'reflect-metadata';
import { createLogger } from '@collab/observability';
import { NestFactory } from '@nestjs/core';
import { DocServiceModule } from './app.module';
import { ConfigError, loadConfig } from './config/env';

async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig(process.env);
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
      process.exit(2);
    }
    throw error;
  }
  const log = createLogger({ service: 'doc-service', instance: config.INSTANCE_ID, level: config.LOG_LEVEL });
  const app = await NestFactory.create(DocServiceModule.forRoot(config, log), { logger: ['error', 'warn'] });
  // SIGTERM/SIGINT run the graceful hand-over (leave the ring, flush commits).
  app.enableShutdownHooks();
  await app.listen(config.HTTP_PORT, '0.0.0.0');
  log.info({ port: config.HTTP_PORT }, 'health endpoints listening');
}

main().catch((error: unknown) => {
  console.error('doc-service failed to start:', error instanceof Error ? error.message : error);
  process.exit(1);
});
