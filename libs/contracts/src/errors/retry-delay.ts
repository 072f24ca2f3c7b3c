/**
 * How long to wait before asking again after a retryable refusal
 * (RETRYABLE_ERROR_CODES): exponential back-off with full jitter. Everyone
 * who retries a refusal, the SDK resending an operation or a join and the
 * gateway re-routing to an owner, waits by this one rule.
 *
 * Why jitter: a failover refuses every client of the lost owner at the same
 * moment; fixed or purely exponential waits bring them all back at the same
 * moments too, and the new owner gets the whole crowd in lockstep. A wait
 * drawn uniformly from [0, min(cap, base * 2^attempt)] spreads them (the
 * "full jitter" of the AWS architecture blog's back-off study), while the
 * cap keeps a client from waiting long once the owner is back.
 */
export interface RetryPolicy {
  /** The ceiling of the first retry's wait. */
  readonly baseMs: number;
  /** No wait is longer than this. */
  readonly capMs: number;
}

/** The SDK's: the first retry within 200 ms, none later than 3 s after the refusal. */
export const CLIENT_RETRY: RetryPolicy = Object.freeze({ baseMs: 200, capMs: 3_000 });

/** The gateway's re-routing to an owner: quick, since the ring moves within a poll. */
export const ROUTE_RETRY: RetryPolicy = Object.freeze({ baseMs: 50, capMs: 500 });

/**
 * The wait before retry number `attempt` (1 for the first retry). `random`
 * returns a number in [0, 1) (Math.random by default; tests pass their own).
 */
export function retryDelayMs(
  attempt: number,
  policy: RetryPolicy,
  random: () => number = Math.random,
): number {
  const exponent = Math.min(Math.max(attempt, 1) - 1, 30);
  const ceiling = Math.min(policy.capMs, policy.baseMs * 2 ** exponent);
  return Math.floor(random() * ceiling);
}
