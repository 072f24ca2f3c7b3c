import { RoleRecheck } from './role-recheck';

describe('RoleRecheck', () => {
  let now = 0;
  const clock = () => now;
  beforeEach(() => (now = 1_000_000));

  it('is due for a pair never read, and again once the interval has passed since the last read', () => {
    const recheck = new RoleRecheck(60_000, clock);
    expect(recheck.due('u', 'd')).toBe(true);
    recheck.read('u', 'd');
    now += 59_999;
    expect(recheck.due('u', 'd')).toBe(false);
    // Another document of the same user, and another user, have their own reads.
    expect(recheck.due('u', 'e')).toBe(true);
    expect(recheck.due('v', 'd')).toBe(true);
    now += 1;
    expect(recheck.due('u', 'd')).toBe(true);
  });

  it('treats ids case-insensitively, as PostgreSQL answers UUIDs', () => {
    const recheck = new RoleRecheck(1_000, clock);
    recheck.read('ABC', 'DEF');
    expect(recheck.due('abc', 'def')).toBe(false);
  });

  it('forgets reads older than the interval, so it holds only recent pairs', () => {
    const recheck = new RoleRecheck(1_000, clock);
    for (let i = 0; i < 100; i++) recheck.read(`u${i}`, 'd');
    expect(recheck.size).toBe(100);
    now += 1_000;
    recheck.read('fresh', 'd');
    expect(recheck.size).toBe(1);
    expect(recheck.due('u1', 'd')).toBe(true);
    expect(recheck.due('fresh', 'd')).toBe(false);
  });
});
