import 'reflect-metadata';
import { hostname } from 'node:os';
import { createLogger } from '@collab/observability';
import { NestFactory } from '@nestjs/core';
import { SnapshotWorkerModule } from './app.module';
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
  const log = createLogger({ service: 'snapshot-worker', instance: hostname(), level: config.LOG_LEVEL });
  const app = await NestFactory.create(SnapshotWorkerModule.forRoot(config, log), {
    logger: ['error', 'warn'],
  });
  // SIGTERM/SIGINT: the worker stops taking jobs and finishes the one in hand.
  app.enableShutdownHooks();
  // Probes and /metrics only; the work arrives through the queue.
  await app.listen(config.HTTP_PORT, '0.0.0.0');
  log.info({ port: config.HTTP_PORT }, 'health endpoints listening');
}

main().catch((error: unknown) => {
  console.error('snapshot-worker failed to start:', error instanceof Error ? error.message : error);
  process.exit(1);
});
