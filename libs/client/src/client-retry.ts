import {
  CLIENT_RETRY,
  ClientEvent,
  isRetryableErrorCode,
  retryDelayMs,
  type WireError,
} from '@collab/contracts';
import type { RequestPayload, RequestResult, Transport } from './transport/transport';

/** Refusals that asking again can get past (TIMEOUT too: the SDK's own, when no answer came). */
export function isRetryable(error: WireError): boolean {
  return isRetryableErrorCode(error.code);
}

/**
 * The wait before retry `attempt` of a refused request (an operation, a
 * join, a catch-up page): the one back-off with jitter of libs/contracts
 * (retryDelayMs), so that the clients of a failed owner do not all come back
 * at the same instants; `firstMs` (CollabDocumentOptions.retryDelayMs) sets
 * the first retry's ceiling.
 */
export function clientRetryDelay(attempt: number, firstMs?: number): number {
  const baseMs = firstMs ?? CLIENT_RETRY.baseMs;
  return retryDelayMs(attempt, { baseMs, capMs: Math.max(baseMs, CLIENT_RETRY.capMs) });
}

/**
 * One page of the log. A refusal that passes (a failover, a timeout) is
 * asked again while connected and not `stopped`, or this client stays
 * behind on a quiet document until someone types.
 */
export async function readLogPage(
  transport: Transport,
  page: RequestPayload<typeof ClientEvent.Catchup>,
  stopped: () => boolean,
  firstRetryMs?: number,
): Promise<RequestResult<typeof ClientEvent.Catchup>> {
  for (let attempt = 1; ; attempt++) {
    const result = await transport.request(ClientEvent.Catchup, page);
    if (result.ok || !isRetryable(result.error) || !transport.connected || stopped()) return result;
    await new Promise((resolve) => setTimeout(resolve, clientRetryDelay(attempt, firstRetryMs)));
  }
}
