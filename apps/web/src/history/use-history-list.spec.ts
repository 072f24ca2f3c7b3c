import type { HistoryEntry, VersionList } from '@collab/contracts';
import { appendPage, olderPageStart } from './use-history-list';

const AT = '2026-12-07T10:42:00.000Z';
const session = (fromVersion: number, toVersion: number): HistoryEntry => ({
  kind: 'session',
  fromVersion,
  toVersion,
  startedAt: AT,
  endedAt: AT,
  authors: [],
});
const named = (version: number): HistoryEntry => ({
  kind: 'named',
  version,
  name: `v${version}`,
  createdAt: AT,
  namedBy: null,
});

describe('history paging', () => {
  it('starts the next page below the oldest version listed', () => {
    expect(olderPageStart([])).toBeNull();
    expect(olderPageStart([session(30, 40), named(25), session(20, 29)])).toBe(20);
  });

  it('appends a page, listing what both pages hold once', () => {
    const first: VersionList = {
      headVersion: 40,
      entries: [session(30, 40), session(20, 29)],
      versions: [{ version: 30, kind: 'snapshot', createdAt: AT, authors: [] }],
    };
    const next: VersionList = {
      headVersion: 41,
      entries: [session(20, 29), named(15), session(1, 19)],
      versions: [
        { version: 30, kind: 'snapshot', createdAt: AT, authors: [] },
        { version: 10, kind: 'snapshot', createdAt: AT, authors: [] },
      ],
    };
    const both = appendPage(first, next);
    expect(both.headVersion).toBe(40);
    expect(both.entries).toEqual([session(30, 40), session(20, 29), named(15), session(1, 19)]);
    expect(both.versions.map((v) => v.version)).toEqual([30, 10]);
  });
});
