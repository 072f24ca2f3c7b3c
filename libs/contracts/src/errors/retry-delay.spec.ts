import { CLIENT_RETRY, retryDelayMs, ROUTE_RETRY } from './retry-delay';

describe('retryDelayMs', () => {
  it('draws each wait from [0, min(cap, base * 2^(attempt - 1)))', () => {
    const ceilings = [1, 2, 3, 4, 5, 6, 10, 40].map((attempt) =>
      retryDelayMs(attempt, CLIENT_RETRY, () => 0.999999),
    );
    expect(ceilings).toEqual([199, 399, 799, 1599, 2999, 2999, 2999, 2999]);
    expect(retryDelayMs(1, CLIENT_RETRY, () => 0)).toBe(0);
    expect(retryDelayMs(3, ROUTE_RETRY, () => 0.5)).toBe(100);
  });

  it('spreads the clients of one failover instead of bringing them back in lockstep', () => {
    const waits = Array.from({ length: 1_000 }, () => retryDelayMs(3, CLIENT_RETRY));
    expect(Math.min(...waits)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...waits)).toBeLessThan(800);
    // Uniform over [0, 800): a thousand clients land in every 100 ms slot of it, not on one instant.
    const slots = new Set(waits.map((w) => Math.floor(w / 100)));
    expect(slots.size).toBe(8);
  });

  it('treats a first attempt given as 0 or less as the first retry', () => {
    expect(retryDelayMs(0, CLIENT_RETRY, () => 0.999999)).toBe(199);
    expect(retryDelayMs(-3, ROUTE_RETRY, () => 0.999999)).toBe(49);
  });
});
