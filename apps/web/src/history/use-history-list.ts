import { DEFAULT_HISTORY_PAGE, type HistoryEntry, type VersionList } from '@collab/contracts';
import { useCallback, useEffect, useState } from 'react';
import { useServices } from '../app-context';
import { describeError } from '../errors/messages';

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

/**
 * The document's history listing, loaded while `enabled` (the panel is open)
 * and again on `reload` (after a name, a restore, or leaving a version: the
 * newest session grows while people type); `loadOlder` appends the next
 * page while there may be one.
 */
export function useHistoryList(docId: string, enabled: boolean) {
  const { calls } = useServices();
  const [list, setList] = useState<VersionList | null>(null);
  const [hasOlder, setHasOlder] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const reload = useCallback(async () => {
    try {
      const page = await calls.versions(docId);
      setList(page);
      setHasOlder(page.entries.length >= DEFAULT_HISTORY_PAGE);
      setError(null);
    } catch (e) {
      setError(describeError(e));
    }
  }, [calls, docId]);
  useEffect(() => {
    if (enabled) void reload();
  }, [enabled, reload]);
  const loadOlder = useCallback(async () => {
    const before = list && olderPageStart(list.entries);
    if (!list || before === null || before === undefined) return;
    try {
      const page = await calls.versions(docId, before);
      setList(appendPage(list, page));
      setHasOlder(page.entries.length >= DEFAULT_HISTORY_PAGE);
    } catch (e) {
      setError(describeError(e));
    }
  }, [calls, docId, list]);
  return { list, error, reload, hasOlder, loadOlder };
}
