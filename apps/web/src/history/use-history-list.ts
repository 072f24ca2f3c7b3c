import type { VersionList } from '@collab/contracts';
import { useCallback, useEffect, useState } from 'react';
import { useServices } from '../app-context';
import { describeError } from '../errors/messages';

/**
 * The document's history listing, loaded while `enabled` (the panel is open)
 * and again on `reload` (after a name, a restore, or leaving a version: the
 * newest session grows while people type).
 */
export function useHistoryList(docId: string, enabled: boolean) {
  const { calls } = useServices();
  const [list, setList] = useState<VersionList | null>(null);
  const [error, setError] = useState<string | null>(null);
  const reload = useCallback(async () => {
    try {
      setList(await calls.versions(docId));
      setError(null);
    } catch (e) {
      setError(describeError(e));
    }
  }, [calls, docId]);
  useEffect(() => {
    if (enabled) void reload();
  }, [enabled, reload]);
  return { list, error, reload };
}
