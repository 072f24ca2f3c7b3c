import 'reflect-metadata';
import { hostname } from 'node:os';
import { bootService } from '@collab/config';
import { createLogger } from '@collab/observability';
import { NestFactory } from '@nestjs/core';
import { SnapshotWorkerModule } from './app.module';
import { loadConfig } from './config/env';

bootService(
  'snapshot-worker',
  () => loadConfig(process.env),
  async (config) => {
    const log = createLogger({ service: 'snapshot-worker', instance: hostname(), level: config.LOG_LEVEL });
    const app = await NestFactory.create(SnapshotWorkerModule.forRoot(config, log), {
      logger: ['error', 'warn'],
    });
    // SIGTERM/SIGINT: the worker stops taking jobs and finishes the one in hand.
    app.enableShutdownHooks();
    // Probes and /metrics only; the work arrives through the queue.
    await app.listen(config.HTTP_PORT, '0.0.0.0');
    log.info({ port: config.HTTP_PORT }, 'health endpoints listening');
  },
);
