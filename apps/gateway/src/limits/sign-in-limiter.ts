import { AppError, ErrorCode, type RedisKeys } from '@collab/contracts';
import type { Redis } from 'ioredis';
import { RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';

export interface SignInLimits {
  /** Wrong passwords for one email from one address before each further one makes that pair wait. */
  readonly failuresPerEmail: number;
  /** Attempts (sign-in and sign-up, right or wrong) per client IP within the window. */
  readonly attemptsPerIp: number;
  /** The window of the per-IP count, and the longest wait a pair of email and address can be given. */
  readonly windowSeconds: number;
}

/** The first wait after the free failures; it doubles with each further one. */
const FIRST_DELAY_SECONDS = 2;
/**
 * Across all addresses an email gets ten times the free failures before it is
 * slowed, and then never by more than this: a guesser spread over many
 * addresses is slowed, but cannot lock the owner out for longer.
 */
const ANY_ADDRESS_FACTOR = 10;
const ANY_ADDRESS_MAX_DELAY_SECONDS = 60;
/** How long failures are remembered without a success. */
const FAILURE_MEMORY_SECONDS = 24 * 3600;

/**
 * Brute-force protection for sign-in, in Redis so it holds across gateways
 * (after rate-limiter-flexible's "login endpoint protection" pattern). The
 * rule it keeps: someone who knows an email cannot lock its owner out.
 *
 * - Wrong passwords are counted per (email, client address). After
 *   `failuresPerEmail` of them, each further one makes that pair wait, twice
 *   as long each time (2 s, 4 s, 8 s, ... up to `windowSeconds`): a guesser
 *   at one address is slowed to a crawl, while the owner, at another
 *   address, signs in as usual. A success clears the pair.
 * - Across all addresses, an email with ten times as many failures is slowed
 *   too, by at most ANY_ADDRESS_MAX_DELAY_SECONDS (a guesser spread over
 *   many addresses), never locked.
 * - Every attempt is counted per address (`attemptsPerIp` per window), which
 *   stops one address spraying many accounts.
 *
 * A refusal says how long to wait (RATE_LIMITED with `retryAfterSeconds`).
 * Redis being down refuses sign-in with UNAVAILABLE rather than letting
 * guesses through unlimited.
 */
export class SignInLimiter {
  private readonly failuresByPair: RateLimiterRedis;
  private readonly failuresByEmail: RateLimiterRedis;
  /** Only blocks (`block`), one key per pair or email that must wait. */
  private readonly waits: RateLimiterRedis;
  private readonly attemptsByIp: RateLimiterRedis;

  constructor(
    redis: Redis,
    keys: RedisKeys,
    private readonly limits: SignInLimits,
  ) {
    const counter = (name: string) =>
      new RateLimiterRedis({
        storeClient: redis,
        keyPrefix: keys.rateLimitPrefix(name),
        points: Number.MAX_SAFE_INTEGER,
        duration: FAILURE_MEMORY_SECONDS,
      });
    this.failuresByPair = counter('sign-in-pair');
    this.failuresByEmail = counter('sign-in-email');
    this.waits = new RateLimiterRedis({
      storeClient: redis,
      keyPrefix: keys.rateLimitPrefix('sign-in-wait'),
      points: 1,
      duration: 1,
    });
    this.attemptsByIp = new RateLimiterRedis({
      storeClient: redis,
      keyPrefix: keys.rateLimitPrefix('sign-in-ip'),
      points: limits.attemptsPerIp,
      duration: limits.windowSeconds,
    });
  }

  /** Counts an attempt from `ip` and refuses it (RATE_LIMITED) while the address or the email must wait. */
  async attempt(ip: string, email?: string): Promise<void> {
    try {
      if (email !== undefined) {
        const waits = await Promise.all([
          this.waits.get(pairKey(email, ip)),
          this.waits.get(emailKey(email)),
        ]);
        const ms = Math.max(
          0,
          ...waits.map((wait) => (wait && wait.consumedPoints > 1 ? wait.msBeforeNext : 0)),
        );
        if (ms > 0) throw rateLimited(ms, 'Too many wrong passwords for this account.');
      }
      await this.attemptsByIp.consume(ip);
    } catch (error) {
      throw toAppError(error);
    }
  }

  /** A wrong password for `email` from `ip`. */
  async failed(ip: string, email: string): Promise<void> {
    try {
      const [pair, any] = await Promise.all([
        this.failuresByPair.consume(pairKey(email, ip)),
        this.failuresByEmail.consume(email),
      ]);
      const free = this.limits.failuresPerEmail;
      if (pair.consumedPoints >= free) {
        const seconds = doubling(pair.consumedPoints - free, this.limits.windowSeconds);
        await this.waits.block(pairKey(email, ip), seconds);
      }
      if (any.consumedPoints >= free * ANY_ADDRESS_FACTOR) {
        const seconds = doubling(
          any.consumedPoints - free * ANY_ADDRESS_FACTOR,
          ANY_ADDRESS_MAX_DELAY_SECONDS,
        );
        await this.waits.block(emailKey(email), seconds);
      }
    } catch (error) {
      throw toAppError(error);
    }
  }

  /** A successful sign-in clears the failures of its email at its address. */
  async succeeded(ip: string, email: string): Promise<void> {
    await Promise.all([
      this.failuresByPair.delete(pairKey(email, ip)),
      this.waits.delete(pairKey(email, ip)),
    ]).catch(() => undefined);
  }
}

const pairKey = (email: string, ip: string) => `${email.toLowerCase()}|${ip}`;
const emailKey = (email: string) => `*|${email.toLowerCase()}`;

/** FIRST_DELAY_SECONDS doubled `extra` times, at most `max`. */
function doubling(extra: number, max: number): number {
  return Math.min(max, FIRST_DELAY_SECONDS * 2 ** Math.min(extra, 30));
}

/** "in 8 seconds", "in 4 minutes": how long to wait, in words. */
function waitInWords(seconds: number): string {
  if (seconds < 60) return `${seconds} second${seconds === 1 ? '' : 's'}`;
  const minutes = Math.ceil(seconds / 60);
  return `${minutes} minute${minutes === 1 ? '' : 's'}`;
}

function rateLimited(msBeforeNext: number, why = 'Too many sign-in attempts from this address.'): AppError {
  const retryAfterSeconds = Math.max(1, Math.ceil(msBeforeNext / 1000));
  return new AppError(ErrorCode.RATE_LIMITED, `${why} Try again in ${waitInWords(retryAfterSeconds)}.`, {
    details: { retryAfterSeconds },
  });
}

function toAppError(error: unknown): AppError {
  if (error instanceof AppError) return error;
  if (error instanceof RateLimiterRes) return rateLimited(error.msBeforeNext);
  return new AppError(ErrorCode.UNAVAILABLE, undefined, { cause: error });
}
