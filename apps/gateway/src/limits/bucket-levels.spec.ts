import { BucketLevels } from './bucket-levels';

describe('BucketLevels', () => {
  it('lets an operation go on unanswered only while the known level, less the takes pending, stays above the mark', () => {
    const levels = new BucketLevels(10);
    // Nothing known yet: the first take is waited for.
    expect(levels.mayOwe('u')).toBe(false);
    levels.sent('u');
    expect(levels.mayOwe('u')).toBe(false);
    levels.answered('u', 19);
    expect(levels.mayOwe('u')).toBe(true);
    // Each take sent and not yet answered counts against the level.
    for (let i = 0; i < 8; i++) levels.sent('u');
    expect(levels.mayOwe('u')).toBe(true); // 19 - 8 = 11
    levels.sent('u');
    expect(levels.mayOwe('u')).toBe(false); // 19 - 9 = 10
    // An answer resets the level to the bucket's own, whatever was estimated.
    levels.answered('u', 3);
    expect(levels.mayOwe('u')).toBe(false);
    for (let i = 0; i < 8; i++) levels.answered('u', 18 - i);
    expect(levels.mayOwe('u')).toBe(true); // 11, nothing pending
    expect(levels.mayOwe('other')).toBe(false);
  });

  it('forgets the level when a take was not answered, and a user who left', () => {
    const levels = new BucketLevels(10);
    levels.sent('u');
    levels.answered('u', 50);
    expect(levels.mayOwe('u')).toBe(true);
    levels.sent('u');
    levels.answered('u', null);
    expect(levels.mayOwe('u')).toBe(false);
    levels.sent('u');
    levels.answered('u', 50);
    levels.forget('u');
    expect(levels.mayOwe('u')).toBe(false);
    expect(levels.size).toBe(0);
    // An answer for a user forgotten meanwhile is dropped.
    levels.answered('u', 50);
    expect(levels.size).toBe(0);
  });
});
