import type { IncomingMessage } from 'node:http';

type AllowRequest = (
  request: IncomingMessage,
  answer: (error: string | null, success: boolean) => void,
) => void;

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

/** Socket.IO's `allowRequest` for an allow-list; `onRefused` is told of each refusal (for metrics). */
export function originAllowList(allowed: readonly string[], onRefused: () => void): AllowRequest {
  return (request, answer) => {
    if (isAllowedOrigin(request.headers.origin, allowed)) return answer(null, true);
    onRefused();
    answer('Origin not allowed', false);
  };
}
