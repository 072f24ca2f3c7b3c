import { MemoryTokenBucket } from './token-bucket';

describe('MemoryTokenBucket', () => {
  it('lets a burst through, then one token per 1/rate seconds', () => {
    let now = 0;
    const bucket = new MemoryTokenBucket({ perSecond: 10, burst: 10 }, () => now);
    for (let i = 0; i < 10; i++) expect(bucket.take('a')).toEqual({ allowed: true });
    expect(bucket.take('a')).toEqual({ allowed: false, retryAfterMs: 100 });
    now += 50;
    expect(bucket.take('a')).toEqual({ allowed: false, retryAfterMs: 50 });
    now += 50;
    expect(bucket.take('a')).toEqual({ allowed: true });
    expect(bucket.take('a').allowed).toBe(false);
  });

  it('never lets twice the rate through across a second boundary (unlike fixed windows)', () => {
    let now = 0;
    const bucket = new MemoryTokenBucket({ perSecond: 10, burst: 10 }, () => now);
    let allowed = 0;
    // 2 seconds of someone trying every millisecond: burst + 2 s of refill.
    for (now = 0; now < 2000; now++) if (bucket.take('a').allowed) allowed++;
    expect(allowed).toBeLessThanOrEqual(10 + 20);
    expect(allowed).toBeGreaterThanOrEqual(10 + 19);
  });

  it('keeps ids apart, refills at most to the burst, and forgets idle ids on sweep', () => {
    let now = 0;
    const bucket = new MemoryTokenBucket({ perSecond: 2, burst: 2 }, () => now);
    bucket.take('a');
    bucket.take('a');
    expect(bucket.take('a').allowed).toBe(false);
    expect(bucket.take('b').allowed).toBe(true);
    now += 60_000;
    expect([bucket.take('a'), bucket.take('a'), bucket.take('a')].map((r) => r.allowed)).toEqual([
      true,
      true,
      false,
    ]);
    now += 60_000;
    bucket.sweep();
    expect(bucket.take('a').allowed).toBe(true);
  });
});
