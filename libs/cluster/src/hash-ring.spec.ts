import { HashRing } from './hash-ring';
import { murmur3 } from './murmur3';

const PINNED = [43139562, 2383563902, 905716006];
const docs = Array.from({ length: 20_000 }, (_, i) => `doc-${i}-${(i * 2654435761) >>> 0}`);

describe('murmur3', () => {
  it('matches the published MurmurHash3_x86_32 vectors for the empty key', () => {
    expect(murmur3('', 0)).toBe(0);
    expect(murmur3('', 1)).toBe(0x514e28b7);
    expect(murmur3('', 0xffffffff)).toBe(0x81f16f39);
  });

  it('is stable: routing must never change between releases', () => {
    // Pinned outputs: if these change, gateways and doc-services of two releases disagree on owners.
    expect([murmur3('doc-1', 0), murmur3('a', 7), murmur3('\u{1F600}', 42)]).toEqual(PINNED);
  });
});

describe('HashRing', () => {
  it('has no owner when empty', () => {
    expect(new HashRing([]).ownerOf('doc')).toBeUndefined();
  });

  it('gives the same owner whatever the order the members were seen in', () => {
    const a = new HashRing(['x', 'y', 'z']);
    const b = new HashRing(['z', 'x', 'y', 'x']);
    for (const doc of docs.slice(0, 1000)) expect(a.ownerOf(doc)).toBe(b.ownerOf(doc));
  });

  it('spreads documents evenly', () => {
    const ring = new HashRing(['a', 'b', 'c', 'd']);
    const counts = new Map<string, number>();
    for (const doc of docs) counts.set(ring.ownerOf(doc)!, (counts.get(ring.ownerOf(doc)!) ?? 0) + 1);
    for (const count of counts.values()) {
      expect(count / docs.length).toBeGreaterThan(0.2);
      expect(count / docs.length).toBeLessThan(0.3);
    }
  });

  it('moves only the documents of the new member when one joins (about 1/N)', () => {
    const before = new HashRing(['a', 'b', 'c']);
    const after = new HashRing(['a', 'b', 'c', 'd']);
    let moved = 0;
    for (const doc of docs) {
      const was = before.ownerOf(doc);
      const now = after.ownerOf(doc);
      if (was !== now) {
        moved++;
        expect(now).toBe('d');
      }
    }
    expect(moved / docs.length).toBeGreaterThan(0.2);
    expect(moved / docs.length).toBeLessThan(0.3);
  });

  it('moves only the documents of the member that left', () => {
    const before = new HashRing(['a', 'b', 'c', 'd']);
    const after = new HashRing(['a', 'b', 'd']);
    for (const doc of docs) {
      if (before.ownerOf(doc) !== 'c') expect(after.ownerOf(doc)).toBe(before.ownerOf(doc));
      else expect(after.ownerOf(doc)).not.toBe('c');
    }
  });

  it('compares member sets', () => {
    expect(new HashRing(['a', 'b']).sameMembers(new HashRing(['b', 'a']))).toBe(true);
    expect(new HashRing(['a', 'b']).sameMembers(new HashRing(['a']))).toBe(false);
  });
});
