import type { CollabDocument } from '@collab/client';
import { DEFAULT_HISTORY_PAGE, type HistoryEntry, type VersionList } from '@collab/contracts';
import { useCallback, useEffect, useRef, useState } from 'react';
import { useServices } from '../app-context';
import { describeError } from '../errors/messages';
import { RefreshThrottle } from './refresh-throttle';

/** While the panel is open, the list is fetched again at most this often as operations commit. */
const HISTORY_REFRESH_MS = 3000;

/** Where the page after `entries` starts: below the oldest version they list. */
export function olderPageStart(entries: readonly HistoryEntry[]): number | null {
  if (entries.length === 0) return null;
  return Math.min(...entries.map((e) => (e.kind === 'named' ? e.version : e.fromVersion)));
}

/** `page` appended to `list` (an entry or version listed in both once). */
export function appendPage(list: VersionList, page: VersionList): VersionList {
  const key = (e: HistoryEntry) => `${e.kind}-${e.kind === 'named' ? e.version : e.fromVersion}`;
  const seen = new Set(list.entries.map(key));
  const versions = new Set(list.versions.map((v) => `${v.kind}-${v.version}`));
  return {
    headVersion: list.headVersion,
    entries: [...list.entries, ...page.entries.filter((e) => !seen.has(key(e)))],
    versions: [...list.versions, ...page.versions.filter((v) => !versions.has(`${v.kind}-${v.version}`))],
  };
}

/** What the list holds after loading `page` (the newest) again, and whether an older page may exist. */
export interface RefreshedList {
  readonly list: VersionList;
  readonly hasOlder: boolean;
}

/**
 * The newest page `page` in place of the top of `list`, keeping the older
 * pages `list` had loaded below it ("Show older versions"), so a refresh
 * never shortens the list under the reader. Everything from the page's
 * oldest version up is the page's (the open session has grown, a name was
 * added); `list`'s entries below it follow, each once.
 */
export function refreshList(list: VersionList | null, hadOlder: boolean, page: VersionList): RefreshedList {
  const pageHasOlder = page.entries.length >= DEFAULT_HISTORY_PAGE;
  const start = olderPageStart(page.entries);
  if (!list || start === null || !pageHasOlder) return { list: page, hasOlder: pageHasOlder };
  const below: VersionList = {
    headVersion: page.headVersion,
    entries: list.entries.filter((e) => (e.kind === 'named' ? e.version : e.fromVersion) < start),
    versions: list.versions.filter((v) => v.version < start),
  };
  if (below.entries.length === 0) return { list: page, hasOlder: pageHasOlder };
  return { list: appendPage(page, below), hasOlder: hadOlder };
}

/**
 * The document's history listing, loaded while `enabled` (the panel is
 * open), again on `reload` (after a name, a restore, or leaving a version),
 * and, while enabled, as operations commit on `doc` (anyone's: the newest
 * session grows while people type), at most every HISTORY_REFRESH_MS. A
 * reload keeps the older pages loaded (`refreshList`), and a response that
 * arrives after a newer request's is dropped. `loadOlder` appends the next
 * page while there may be one.
 */
export function useHistoryList(docId: string, enabled: boolean, doc: CollabDocument | null = null) {
  const { calls } = useServices();
  const [state, setState] = useState<RefreshedList | null>(null);
  const [error, setError] = useState<string | null>(null);
  const requests = useRef(0);
  const reload = useCallback(async () => {
    const request = ++requests.current;
    try {
      const page = await calls.versions(docId);
      if (request !== requests.current) return;
      setState((s) => refreshList(s?.list ?? null, s?.hasOlder ?? false, page));
      setError(null);
    } catch (e) {
      if (request === requests.current) setError(describeError(e));
    }
  }, [calls, docId]);
  useEffect(() => {
    if (enabled) void reload();
  }, [enabled, reload]);

  // Committed operations: others' arrive as `remote`, this tab's own become
  // durable as `pending` counts down. Either moves doc.version.
  useEffect(() => {
    if (!enabled || !doc) return;
    let seen = doc.version;
    const throttle = new RefreshThrottle(() => void reload(), HISTORY_REFRESH_MS);
    const onChange = () => {
      if (doc.version === seen) return;
      seen = doc.version;
      throttle.request();
    };
    const offs = [doc.on('remote', onChange), doc.on('pending', onChange)];
    return () => {
      throttle.cancel();
      offs.forEach((off) => off());
    };
  }, [enabled, doc, reload]);

  const list = state?.list ?? null;
  const hasOlder = state?.hasOlder ?? false;
  const loadOlder = useCallback(async () => {
    const before = list && olderPageStart(list.entries);
    if (!list || before === null || before === undefined) return;
    try {
      const page = await calls.versions(docId, before);
      setState((s) => ({
        list: appendPage(s?.list ?? list, page),
        hasOlder: page.entries.length >= DEFAULT_HISTORY_PAGE,
      }));
    } catch (e) {
      setError(describeError(e));
    }
  }, [calls, docId, list]);
  return { list, error, reload, hasOlder, loadOlder };
}
