import { existsSync } from 'node:fs';
import path from 'node:path';
import type { NestExpressApplication } from '@nestjs/platform-express';
import type { NextFunction, Request, Response } from 'express';
import type { Logger } from 'pino';

/** Paths that belong to the server, never to the web app's client-side routes. */
const SERVER_PATHS = /^\/(api|socket\.io|healthz|readyz|metrics)(\/|$)/;

/**
 * Serves the built web app (apps/web/dist) from the gateway, so the app,
 * its REST calls and its socket share one origin (no CORS, cookies or
 * second deployment). Hashed assets are cached for a year; index.html is
 * never cached, so a deploy reaches every tab on its next navigation. Any
 * other GET that is not a server path gets index.html (client-side routes
 * such as /d/:id). Without a build (tests, API-only deployments) nothing is
 * served and the gateway says so once.
 */
export function serveWebApp(app: NestExpressApplication, dir: string, log: Logger): boolean {
  const index = path.join(dir, 'index.html');
  if (!existsSync(index)) {
    log.info({ dir }, 'no web app build found; serving the API only');
    return false;
  }
  app.useStaticAssets(dir, {
    index: false,
    setHeaders: (res, file) => {
      const hashed = file.includes(`${path.sep}assets${path.sep}`);
      res.setHeader('cache-control', hashed ? 'public, max-age=31536000, immutable' : 'no-cache');
    },
  });
  app.use((req: Request, res: Response, next: NextFunction) => {
    if ((req.method !== 'GET' && req.method !== 'HEAD') || SERVER_PATHS.test(req.path)) return next();
    if (!req.accepts('html')) return next();
    res.setHeader('cache-control', 'no-cache');
    res.sendFile(index);
  });
  return true;
}
