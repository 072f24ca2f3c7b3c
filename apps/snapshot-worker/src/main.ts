import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { pino } from 'pino';
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
  const log = pino({ level: config.LOG_LEVEL, base: { service: 'snapshot-worker', pid: process.pid } });
  const app = await NestFactory.createApplicationContext(SnapshotWorkerModule.forRoot(config, log), {
    logger: ['error', 'warn'],
  });
  // SIGTERM/SIGINT: the worker stops taking jobs and finishes the one in hand.
  app.enableShutdownHooks();
}

main().catch((error: unknown) => {
  console.error('snapshot-worker failed to start:', error instanceof Error ? error.message : error);
  process.exit(1);
});
