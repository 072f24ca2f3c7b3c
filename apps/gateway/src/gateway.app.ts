import { redisKeys } from '@collab/contracts';
import type { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { GatewayModule } from './app.module';
import type { GatewayConfig } from './config/env';
import { RedisIoAdapter } from './realtime/redis-io.adapter';

/**
 * Builds a gateway (HTTP + Socket.IO with the redis adapter), not yet
 * listening. main.ts listens on PORT; tests listen on port 0.
 */
export async function createGatewayApp(config: GatewayConfig, log: Logger): Promise<INestApplication> {
  const app = await NestFactory.create(GatewayModule.forRoot(config, log), { logger: ['error', 'warn'] });
  const pub = new Redis(config.REDIS_URL, { connectionName: 'gateway-io-pub' });
  const sub = pub.duplicate({ connectionName: 'gateway-io-sub' });
  for (const client of [pub, sub]) {
    client.on('error', (error: Error) => log.warn({ err: error }, 'socket.io adapter redis error'));
  }
  app.useWebSocketAdapter(new RedisIoAdapter(app, pub, sub, redisKeys(config.REDIS_PREFIX).socketIo));
  return app;
}
