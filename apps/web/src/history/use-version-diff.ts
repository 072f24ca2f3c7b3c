import type { Collaborator } from '@collab/contracts';
import { useEffect, useState } from 'react';
import { useServices } from '../app-context';
import { describeError } from '../errors/messages';
import { changeStops, type ChangeStop, type DiffDisplay, diffDisplay } from './diff-display';

/** A version laid out with its changes since `from`, ready for the read-only editor. */
export interface LoadedVersionDiff extends DiffDisplay {
  readonly version: number;
  readonly from: number;
  readonly stops: readonly ChangeStop[];
  readonly authors: readonly Collaborator[];
}

/** Loads version `version` and the diff from `from` (both at once), or says why it could not. */
export function useVersionDiff(
  docId: string,
  version: number,
  from: number,
): { loaded: LoadedVersionDiff | null; error: string | null } {
  const { calls } = useServices();
  const [state, setState] = useState<{ loaded: LoadedVersionDiff | null; error: string | null }>({
    loaded: null,
    error: null,
  });
  useEffect(() => {
    let cancelled = false;
    setState({ loaded: null, error: null });
    Promise.all([calls.versionContent(docId, version), calls.diff(docId, from, version)]).then(
      ([content, diff]) => {
        if (cancelled) return;
        const laid = diffDisplay(content.delta, diff);
        setState({
          loaded: { ...laid, version, from, stops: changeStops(laid.marks), authors: diff.authors },
          error: null,
        });
      },
      (e: unknown) => !cancelled && setState({ loaded: null, error: describeError(e) }),
    );
    return () => {
      cancelled = true;
    };
  }, [calls, docId, version, from]);
  return state;
}
