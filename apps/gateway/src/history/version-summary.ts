import { type HistoryEntry, type VersionSummary, VersionKind } from '@collab/contracts';
import type { HistoryAuthor, HistoryEntry as PersistedHistoryEntry, HistoryMark } from '@collab/persistence';

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

/** One entry of the history with sessions as the REST API shows it. */
export function toHistoryEntry(entry: PersistedHistoryEntry): HistoryEntry {
  const collaborator = (a: HistoryAuthor) => ({ userId: a.userId, name: a.name, color: a.color });
  switch (entry.kind) {
    case 'named':
      return {
        kind: 'named',
        version: entry.version,
        name: entry.name,
        createdAt: entry.createdAt.toISOString(),
        namedBy: entry.namedBy && collaborator(entry.namedBy),
      };
    case 'restore':
      return {
        kind: 'restore',
        version: entry.fromVersion,
        fromVersion: entry.fromVersion,
        toVersion: entry.toVersion,
        restoredFrom: entry.restoredFrom ?? 0,
        createdAt: entry.startedAt.toISOString(),
        authors: entry.authors.map(collaborator),
      };
    case 'session':
      return {
        kind: 'session',
        fromVersion: entry.fromVersion,
        toVersion: entry.toVersion,
        startedAt: entry.startedAt.toISOString(),
        endedAt: entry.endedAt.toISOString(),
        authors: entry.authors.map(collaborator),
      };
  }
}
