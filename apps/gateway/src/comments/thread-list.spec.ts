import type { ThreadPlace } from '@collab/persistence';
import { firstInText } from './thread-list';

const place = (id: string, from: number, to: number, extra: Partial<ThreadPlace> = {}): ThreadPlace => ({
  id,
  anchor: { from, to, version: 3, detached: false },
  resolved: false,
  ...extra,
});

describe('firstInText', () => {
  // Oldest first, as listThreadPlaces answers them.
  const places = [
    place('resolved-early', 0, 2, { resolved: true }),
    place('late', 40, 45),
    place('detached', 10, 10, { anchor: { from: 10, to: 10, version: 3, detached: true } }),
    place('early-long', 5, 20),
    place('early-short', 5, 8),
    place('tie-older', 30, 31),
    place('tie-newer', 30, 31),
  ];

  it('open threads by start, then end, ties oldest first; then detached; then resolved', () => {
    expect(firstInText(places, new Map(), 10)).toEqual([
      'early-short',
      'early-long',
      'tie-older',
      'tie-newer',
      'late',
      'detached',
      'resolved-early',
    ]);
    expect(firstInText(places, new Map(), 2)).toEqual(['early-short', 'early-long']);
  });

  it('orders by the anchors moved to the head, not as stored', () => {
    const moved = new Map([['late', { from: 1, to: 3, version: 9, detached: false }]]);
    expect(firstInText(places, moved, 1)).toEqual(['late']);
    // Moved to nothing: detached now, after every open one.
    const gone = new Map([['early-short', { from: 5, to: 5, version: 9, detached: true }]]);
    expect(firstInText(places, gone, 10).slice(-3)).toEqual(['detached', 'early-short', 'resolved-early']);
  });
});
