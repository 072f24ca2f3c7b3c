import { saveStatusLabel } from './save-status';

describe('saveStatusLabel', () => {
  it('says Saved only when connected with nothing pending', () => {
    expect(saveStatusLabel('connected', 0)).toBe('Saved');
    expect(saveStatusLabel('connected', 2)).toBe('Saving…');
  });

  it('counts what will be sent when offline or reconnecting', () => {
    expect(saveStatusLabel('offline', 1)).toBe('Offline — 1 change will be sent when you reconnect');
    expect(saveStatusLabel('offline', 3)).toBe('Offline — 3 changes will be sent when you reconnect');
    expect(saveStatusLabel('offline', 0)).toBe('Offline');
    expect(saveStatusLabel('reconnecting', 0)).toBe('Reconnecting…');
    expect(saveStatusLabel('reconnecting', 4)).toBe('Reconnecting… (4 changes not yet saved)');
    expect(saveStatusLabel('connecting', 0)).toBe('Connecting…');
  });
});
