import type { HistoryEntry } from '@collab/contracts';
import {
  compareChoices,
  defaultFrom,
  namesLabel,
  sessionLabel,
  sessionSteps,
  whenLabel,
} from './session-label';

// Local times, so the expectations hold in every time zone.
const NOW = new Date(2026, 11, 7, 15, 30);
const iso = (...parts: [number, number, number, number, number]) => new Date(...parts).toISOString();
const person = (name: string) => ({ userId: '00000000-0000-4000-8000-000000000001', name, color: '#336699' });

describe('whenLabel', () => {
  it('says today, yesterday, the day, and the year when it is not this one', () => {
    expect(whenLabel(iso(2026, 11, 7, 10, 42), NOW)).toBe('Today 10:42');
    expect(whenLabel(iso(2026, 11, 7, 0, 5), NOW)).toBe('Today 00:05');
    expect(whenLabel(iso(2026, 11, 6, 16, 5), NOW)).toBe('Yesterday 16:05');
    expect(whenLabel(iso(2026, 11, 3, 9, 12), NOW)).toBe('3 Dec 09:12');
    expect(whenLabel(iso(2025, 0, 1, 23, 59), NOW)).toBe('1 Jan 2025 23:59');
  });
});

describe('namesLabel', () => {
  it('lists up to three names, then counts the others', () => {
    expect(namesLabel([])).toBe('nobody');
    expect(namesLabel(['Ana'])).toBe('Ana');
    expect(namesLabel(['Ana', 'Bruno'])).toBe('Ana and Bruno');
    expect(namesLabel(['Ana', 'Bruno', 'Carla'])).toBe('Ana, Bruno and Carla');
    expect(namesLabel(['Ana', 'Bruno', 'Carla', 'Dee', 'Eve'])).toBe('Ana, Bruno and 3 others');
  });
});

describe('sessionLabel', () => {
  it('is the start and the authors', () => {
    expect(
      sessionLabel({ startedAt: iso(2026, 11, 7, 10, 42), authors: [person('Ana'), person('Bruno')] }, NOW),
    ).toBe('Today 10:42, Ana and Bruno');
  });
});

describe('sessionSteps', () => {
  it('lists the last version and the marks inside, newest first, each compared with the next older', () => {
    const marks = [{ version: 150 }, { version: 100 }, { version: 50 }, { version: 20 }];
    expect(sessionSteps({ fromVersion: 30, toVersion: 120 }, marks)).toEqual([
      { version: 120, from: 100 },
      { version: 100, from: 50 },
      { version: 50, from: 29 },
    ]);
    expect(sessionSteps({ fromVersion: 1, toVersion: 7 }, marks)).toEqual([{ version: 7, from: 0 }]);
  });
});

describe('defaultFrom', () => {
  const entries: HistoryEntry[] = [
    {
      kind: 'session',
      fromVersion: 12,
      toVersion: 20,
      startedAt: NOW.toISOString(),
      endedAt: NOW.toISOString(),
      authors: [],
    },
    { kind: 'named', version: 15, name: 'Draft', createdAt: NOW.toISOString(), namedBy: null },
    {
      kind: 'restore',
      version: 11,
      fromVersion: 11,
      toVersion: 11,
      restoredFrom: 3,
      createdAt: NOW.toISOString(),
      authors: [],
    },
    {
      kind: 'session',
      fromVersion: 1,
      toVersion: 10,
      startedAt: NOW.toISOString(),
      endedAt: NOW.toISOString(),
      authors: [],
    },
  ];
  it("compares with the version before the version's session", () => {
    expect(defaultFrom(15, entries)).toBe(11);
    expect(defaultFrom(20, entries)).toBe(11);
    expect(defaultFrom(12, entries)).toBe(11);
    expect(defaultFrom(11, entries)).toBe(10);
    expect(defaultFrom(5, entries)).toBe(0);
    expect(defaultFrom(40, entries)).toBe(39);
  });
});

describe('compareChoices', () => {
  it('offers the known versions below, newest first, with names', () => {
    const entries: HistoryEntry[] = [
      {
        kind: 'session',
        fromVersion: 12,
        toVersion: 20,
        startedAt: NOW.toISOString(),
        endedAt: NOW.toISOString(),
        authors: [],
      },
      { kind: 'named', version: 15, name: 'Draft', createdAt: NOW.toISOString(), namedBy: null },
    ];
    expect(compareChoices(entries, [{ version: 14 }], 20, 11)).toEqual([
      { version: 15, label: 'Version 15, “Draft”' },
      { version: 14, label: 'Version 14' },
      { version: 11, label: 'Version 11' },
      { version: 0, label: 'Version 0 (empty)' },
    ]);
  });
});
