import { type VersionSummary, VersionKind } from '@collab/contracts';
import type { HistoryMark } from '@collab/persistence';

/**
 * One history entry as the REST API shows it. A version listed for several
 * reasons shows the most telling one: a name someone gave it, else the
 * restore that made it (named after the version it restored), else the
 * snapshot.
 */
export function toVersionSummary(mark: HistoryMark): VersionSummary {
  const base = {
    version: mark.version,
    createdAt: mark.createdAt.toISOString(),
    authors: mark.authors.map((a) => ({ userId: a.userId, name: a.name, color: a.color })),
  };
  if (mark.name !== null) return { ...base, kind: VersionKind.Named, name: mark.name };
  if (mark.restoredFrom !== null) {
    return { ...base, kind: VersionKind.Restore, name: `Restored version ${mark.restoredFrom}` };
  }
  return { ...base, kind: VersionKind.Snapshot };
}
