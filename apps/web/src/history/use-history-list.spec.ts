import { DEFAULT_HISTORY_PAGE, type HistoryEntry, type VersionList } from '@collab/contracts';
import { appendPage, olderPageStart, refreshList } from './use-history-list';

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

/** A full page of one-version sessions, newest first, from `newest` down. */
const fullPage = (newest: number): VersionList => ({
  headVersion: newest,
  entries: Array.from({ length: DEFAULT_HISTORY_PAGE }, (_, i) => session(newest - i, newest - i)),
  versions: [],
});

describe('refreshList', () => {
  it('takes a short page as the whole history', () => {
    const old: VersionList = { headVersion: 10, entries: [session(1, 10)], versions: [] };
    const page: VersionList = { headVersion: 12, entries: [session(1, 12)], versions: [] };
    expect(refreshList(old, false, page)).toEqual({ list: page, hasOlder: false });
    expect(refreshList(null, false, page)).toEqual({ list: page, hasOlder: false });
  });

  it('puts the new first page on top of the older pages already loaded, each entry once', () => {
    // Two pages loaded (versions 300 down to 101), then two more sessions were written.
    const loaded = appendPage(fullPage(300), fullPage(200));
    const refreshed = refreshList(loaded, true, fullPage(302));
    const starts = refreshed.list.entries.map((e) => (e.kind === 'named' ? e.version : e.fromVersion));
    expect(starts).toEqual(Array.from({ length: 202 }, (_, i) => 302 - i));
    expect(refreshed.list.headVersion).toBe(302);
    // What was older than the loaded pages may still be there.
    expect(refreshed.hasOlder).toBe(true);
  });

  it('takes the grown open session and a new name from the page, not the stale ones', () => {
    const loaded = appendPage(fullPage(300), fullPage(200));
    const page = fullPage(300);
    const grown: VersionList = {
      ...page,
      entries: [named(300), session(300, 305), ...page.entries.slice(1)],
    };
    const refreshed = refreshList(loaded, false, grown);
    expect(refreshed.list.entries.slice(0, 3)).toEqual([named(300), session(300, 305), session(299, 299)]);
    expect(refreshed.list.entries.filter((e) => e.kind === 'session' && e.fromVersion === 300)).toHaveLength(
      1,
    );
    expect(refreshed.list.entries).toHaveLength(201);
    expect(refreshed.hasOlder).toBe(false);
  });

  it('a full page with nothing older loaded says an older page may exist', () => {
    expect(refreshList(null, false, fullPage(300)).hasOlder).toBe(true);
  });
});
