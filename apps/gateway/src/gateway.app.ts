import { redisKeys } from '@collab/contracts';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import helmet from 'helmet';
import { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { Server } from 'socket.io';
import { GatewayModule } from './app.module';
import type { GatewayConfig } from './config/env';
import { HttpExceptionFilter } from './http/http-exception.filter';
import { originMiddleware } from './limits/origin-allow-list';
import { GatewayMetrics, GuardCounter } from './metrics/gateway-metrics';
import { setupOpenApi } from './openapi/openapi.setup';
import { CollabGateway } from './realtime/collab.gateway';
import { RedisIoAdapter } from './realtime/redis-io.adapter';
import { DocRouter } from './routing/doc-router';
import { serveWebApp } from './web/serve-web-app';

/** REST lives under /api; probes and metrics stay at the root for the orchestrator. */
const API_PREFIX = 'api';
/** Largest JSON body a REST route reads (the largest, a restore or import, is far smaller). */
const MAX_JSON_BODY = '256kb';

/**
 * Builds a gateway (HTTP + Socket.IO with the redis adapter), not yet
 * listening. main.ts listens on PORT; tests listen on port 0.
 */
export async function createGatewayApp(config: GatewayConfig, log: Logger): Promise<NestExpressApplication> {
  const app = await NestFactory.create<NestExpressApplication>(GatewayModule.forRoot(config, log), {
    logger: ['error', 'warn'],
    bodyParser: false,
  });
  app.disable('x-powered-by');
  // Behind a load balancer `req.ip` (the sign-in limit's key) must come from X-Forwarded-For.
  if (config.TRUST_PROXY > 0) app.set('trust proxy', config.TRUST_PROXY);
  app.use(helmet());
  app.useBodyParser('json', { limit: MAX_JSON_BODY });
  app.setGlobalPrefix(API_PREFIX, { exclude: ['healthz', 'readyz', 'metrics'] });
  app.useGlobalFilters(new HttpExceptionFilter(log));
  serveWebApp(app, config.WEB_DIST_DIR, log);
  setupOpenApi(app);
  const pub = new Redis(config.REDIS_URL, { connectionName: 'gateway-io-pub', enableAutoPipelining: true });
  const sub = pub.duplicate({ connectionName: 'gateway-io-sub', enableAutoPipelining: false });
  for (const client of [pub, sub]) {
    client.on('error', (error: Error) => log.warn({ err: error }, 'socket.io adapter redis error'));
  }
  const metrics = app.get(GatewayMetrics);
  app.useWebSocketAdapter(
    new RedisIoAdapter(app, pub, sub, redisKeys(config.REDIS_PREFIX).socketIo, {
      // CORS lets allowed pages use the polling transport; the origin
      // middleware is what stops other pages, since browsers apply no CORS to
      // WebSockets.
      cors: { origin: config.ALLOWED_ORIGINS, credentials: false },
      pingInterval: config.SOCKET_PING_INTERVAL_MS,
      pingTimeout: config.SOCKET_PING_TIMEOUT_MS,
      first: originMiddleware(
        config.ALLOWED_ORIGINS,
        () => metrics.increment(GuardCounter.ForeignOrigins),
        log,
      ),
    }),
  );
  const gateway = app.get(CollabGateway);
  const router = app.get(DocRouter);
  // Read when scraped; the Socket.IO server exists once the app is initialised.
  metrics.bind({
    sockets: () => (gateway.server as Server | undefined)?.of('/').sockets.size ?? 0,
    members: () => router.members.length,
  });
  return app;
}
