import { ErrorCode, wireError } from '@collab/contracts';
import type { Logger } from 'pino';
import type { Socket } from 'socket.io';

/** `https://App.example.com:443/` and `https://app.example.com` are the same origin. */
function normalize(origin: string): string | null {
  try {
    const url = new URL(origin);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.origin : null;
  } catch {
    return null;
  }
}

/**
 * Whether a handshake's Origin header may open a socket. Browsers always
 * send Origin on a WebSocket handshake and CORS does not apply to
 * WebSockets, so this is what stops a foreign page from riding a signed-in
 * user's browser (cross-site WebSocket hijacking). A request without Origin
 * is not from a browser page (a native client, a test, a load balancer
 * check); it still needs a valid token. `Origin: null` (sandboxed frames,
 * files) is refused.
 */
export function isAllowedOrigin(origin: string | undefined, allowed: readonly string[]): boolean {
  if (origin === undefined) return true;
  const normalized = normalize(origin);
  return normalized !== null && allowed.some((entry) => normalize(entry) === normalized);
}

/** How often one refused origin is logged (a misconfigured page retries every few seconds). */
const LOG_EVERY_MS = 60_000;

type Middleware = (socket: Socket, next: (error?: Error) => void) => void;

/**
 * The allow-list as the first Socket.IO middleware. A refusal from Engine.IO's
 * `allowRequest` reaches a page only as a failed WebSocket with no reason,
 * so a page served from an origin left out of ALLOWED_ORIGINS would sit on
 * "Reconnecting..." forever. Refused here instead, before the token is
 * checked and before any handler, the socket never joins the namespace, and
 * the page's `connect_error` carries ORIGIN_NOT_ALLOWED with the origin and
 * what to change. Each refused origin is logged (at most once a minute),
 * and `onRefused` counts it (metrics).
 */
export function originMiddleware(
  allowed: readonly string[],
  onRefused: () => void,
  log: Pick<Logger, 'warn'>,
): Middleware {
  const loggedAt = new Map<string, number>();
  return (socket, next) => {
    const origin = socket.handshake.headers.origin;
    if (isAllowedOrigin(origin, allowed)) return next();
    onRefused();
    const now = Date.now();
    if (now - (loggedAt.get(origin ?? '') ?? -Infinity) >= LOG_EVERY_MS) {
      if (loggedAt.size > 1_000) loggedAt.clear();
      loggedAt.set(origin ?? '', now);
      log.warn({ origin, allowed }, 'socket refused: its page origin is not in ALLOWED_ORIGINS');
    }
    const message = `This page (${origin}) may not connect: its origin is not in the server's ALLOWED_ORIGINS.`;
    next(Object.assign(new Error(message), { data: wireError(ErrorCode.ORIGIN_NOT_ALLOWED, message) }));
  };
}
