import { ACCOUNT_COLORS } from './account-colors';
import { Color } from './ids';

describe('account colours', () => {
  it('are different #rrggbb colours, each one the DTOs accept', () => {
    expect(new Set(ACCOUNT_COLORS.map((c) => c.toLowerCase())).size).toBe(ACCOUNT_COLORS.length);
    for (const colour of ACCOUNT_COLORS) expect(Color.safeParse(colour).success).toBe(true);
  });
});
