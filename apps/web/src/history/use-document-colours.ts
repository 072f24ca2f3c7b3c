import { useEffect, useMemo, useRef, useState } from 'react';
import { useServices } from '../app-context';
import { type ColouredPerson, type ColourOf, colourLookup, distinctColours } from './document-colours';

/**
 * The document's colours (`distinctColours` over its members), loaded with
 * the member list when the page opens and again when someone not yet known
 * appears in `present` (a member added since; each id asks once). Until the
 * members load, or when they cannot (offline), everyone shows their
 * account's colour.
 */
export function useDocumentColours(docId: string, present: readonly string[]): ColourOf {
  const { calls } = useServices();
  const [members, setMembers] = useState<readonly ColouredPerson[]>([]);
  const asked = useRef(new Set<string>());
  const [load, setLoad] = useState(0);

  const known = useMemo(() => new Set(members.map((m) => m.userId)), [members]);
  const unknown = present.filter((id) => !known.has(id) && !asked.current.has(id)).join(',');
  useEffect(() => {
    if (!unknown) return;
    for (const id of unknown.split(',')) asked.current.add(id);
    setLoad((n) => n + 1);
  }, [unknown]);

  useEffect(() => {
    let cancelled = false;
    calls.members(docId).then(
      (list) => !cancelled && setMembers(list.members.map((m) => ({ userId: m.userId, color: m.color }))),
      () => undefined, // offline or no longer a member: account colours meanwhile
    );
    return () => {
      cancelled = true;
    };
  }, [calls, docId, load]);

  return useMemo(() => colourLookup(distinctColours(members)), [members]);
}
