import { saveStatusLabel } from './save-status';

describe('saveStatusLabel', () => {
  it('says "All changes saved" only when connected with nothing unsaved', () => {
    expect(saveStatusLabel('connected', 0)).toBe('All changes saved');
    expect(saveStatusLabel('connected', 2)).toBe('Saving…');
  });

  it('counts the edits that will be sent when offline or reconnecting', () => {
    expect(saveStatusLabel('offline', 1)).toBe('Offline: 1 edit will be sent when you reconnect');
    expect(saveStatusLabel('offline', 37)).toBe('Offline: 37 edits will be sent when you reconnect');
    expect(saveStatusLabel('offline', 0)).toBe('Offline');
    expect(saveStatusLabel('reconnecting', 0)).toBe('Reconnecting…');
    expect(saveStatusLabel('reconnecting', 4)).toBe('Reconnecting… 4 edits not saved yet');
    expect(saveStatusLabel('connecting', 0)).toBe('Connecting…');
    expect(saveStatusLabel('connecting', 1)).toBe('Connecting… 1 edit not saved yet');
  });
});
