import { AppError, ErrorCode, type RedisKeys } from '@collab/contracts';
import type { Redis } from 'ioredis';
import { RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';

export interface SignInLimits {
  /** Failed sign-ins per email within the window before the email is blocked for the window. */
  readonly failuresPerEmail: number;
  /** Attempts (sign-in and sign-up, right or wrong) per client IP within the window. */
  readonly attemptsPerIp: number;
  readonly windowSeconds: number;
}

/**
 * Brute-force protection for sign-in, in Redis so it holds across gateways
 * (the rate-limiter-flexible "login endpoint" pattern): consecutive failures
 * are counted per email (a guesser targeting one account is stopped, and a
 * success clears the count so the owner is not locked out by their own
 * typos), and every attempt is counted per IP (a guesser spraying many
 * accounts from one address is stopped). Redis being down refuses sign-in
 * with UNAVAILABLE rather than letting guesses through unlimited.
 */
export class SignInLimiter {
  private readonly failuresByEmail: RateLimiterRedis;
  private readonly attemptsByIp: RateLimiterRedis;

  constructor(
    redis: Redis,
    keys: RedisKeys,
    private readonly limits: SignInLimits,
  ) {
    this.failuresByEmail = new RateLimiterRedis({
      storeClient: redis,
      keyPrefix: keys.rateLimitPrefix('sign-in-email'),
      points: limits.failuresPerEmail,
      duration: limits.windowSeconds,
      blockDuration: limits.windowSeconds,
    });
    this.attemptsByIp = new RateLimiterRedis({
      storeClient: redis,
      keyPrefix: keys.rateLimitPrefix('sign-in-ip'),
      points: limits.attemptsPerIp,
      duration: limits.windowSeconds,
    });
  }

  /** Counts an attempt from `ip` and refuses it (RATE_LIMITED) when the IP or the email is over its limit. */
  async attempt(ip: string, email?: string): Promise<void> {
    try {
      if (email !== undefined) {
        const failures = await this.failuresByEmail.get(email);
        if (failures !== null && failures.consumedPoints >= this.limits.failuresPerEmail) {
          throw rateLimited(failures.msBeforeNext);
        }
      }
      await this.attemptsByIp.consume(ip);
    } catch (error) {
      throw toAppError(error);
    }
  }

  /** A wrong password for `email`. */
  async failed(email: string): Promise<void> {
    try {
      await this.failuresByEmail.consume(email);
    } catch (error) {
      // Going over the limit here is expected (that is what blocks the next attempt).
      if (!(error instanceof RateLimiterRes)) throw toAppError(error);
    }
  }

  /** A successful sign-in clears the email's failures. */
  async succeeded(email: string): Promise<void> {
    await this.failuresByEmail.delete(email).catch(() => undefined);
  }
}

function rateLimited(msBeforeNext: number): AppError {
  const retryAfterSeconds = Math.max(1, Math.ceil(msBeforeNext / 1000));
  return new AppError(ErrorCode.RATE_LIMITED, 'Too many sign-in attempts; try again later.', {
    details: { retryAfterSeconds },
  });
}

function toAppError(error: unknown): AppError {
  if (error instanceof AppError) return error;
  if (error instanceof RateLimiterRes) return rateLimited(error.msBeforeNext);
  return new AppError(ErrorCode.UNAVAILABLE, undefined, { cause: error });
}
