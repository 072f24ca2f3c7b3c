import { compareTarget } from './compare-version';

describe('compareTarget', () => {
  it('compares the viewed version with any older one, down to the empty document', () => {
    expect(compareTarget('12', 40, 100)).toEqual({ ok: true, version: 40, from: 12 });
    expect(compareTarget(' 0 ', 40, 100)).toEqual({ ok: true, version: 40, from: 0 });
  });

  it('shows a newer version with its changes since the viewed one, up to head', () => {
    expect(compareTarget('75', 40, 100)).toEqual({ ok: true, version: 75, from: 40 });
    expect(compareTarget('100', 40, 100)).toEqual({ ok: true, version: 100, from: 40 });
  });

  it('refuses a version past head, naming the latest', () => {
    expect(compareTarget('101', 40, 100)).toEqual({
      ok: false,
      message: 'There is no version 101 yet: the latest is 100. Enter a version number from 0 to 100.',
    });
    expect(compareTarget('9999999999999999', 40, 100).ok).toBe(false);
  });

  it('refuses what is not a whole non-negative number', () => {
    for (const input of ['', '  ', '-1', '1.5', '1e3', 'ten', '0x10', '12345678901234567890'])
      expect(compareTarget(input, 40, 100)).toEqual({
        ok: false,
        message: 'Enter a version number from 0 to 100.',
      });
  });

  it('refuses the version already shown', () => {
    expect(compareTarget('40', 40, 100)).toEqual({
      ok: false,
      message: 'Version 40 is the one shown. Enter another version to compare with.',
    });
  });
});
