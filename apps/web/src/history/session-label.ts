import type { HistoryEntry, SessionEntry, VersionSummary } from '@collab/contracts';

const DAY_MS = 86_400_000;
const dayFormat = new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'short' });
const yearFormat = new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'short', year: 'numeric' });

const startOfDay = (d: Date) => new Date(d.getFullYear(), d.getMonth(), d.getDate()).getTime();

/** "Today 10:42", "Yesterday 16:05", "3 Dec 09:12", "3 Dec 2025 09:12" (local time, 24-hour clock). */
export function whenLabel(iso: string, now: Date = new Date()): string {
  const at = new Date(iso);
  const time = `${String(at.getHours()).padStart(2, '0')}:${String(at.getMinutes()).padStart(2, '0')}`;
  const days = Math.round((startOfDay(now) - startOfDay(at)) / DAY_MS);
  if (days === 0) return `Today ${time}`;
  if (days === 1) return `Yesterday ${time}`;
  const format = at.getFullYear() === now.getFullYear() ? dayFormat : yearFormat;
  return `${format.format(at)} ${time}`;
}

/** "Ana", "Ana and Bruno", "Ana, Bruno and Carla", "Ana, Bruno and 2 others". */
export function namesLabel(names: readonly string[]): string {
  if (names.length === 0) return 'nobody';
  if (names.length === 1) return names[0];
  if (names.length <= 3) return `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}`;
  return `${names.slice(0, 2).join(', ')} and ${names.length - 2} others`;
}

/** A session as the history lists it: "Today 10:42, Ana and Bruno" (its start, its authors). */
export function sessionLabel(session: Pick<SessionEntry, 'startedAt' | 'authors'>, now?: Date): string {
  return `${whenLabel(session.startedAt, now)}, ${namesLabel(session.authors.map((a) => a.name))}`;
}

/** A version to open and the version to compare it with (its changes since then are highlighted). */
export interface VersionStep {
  readonly version: number;
  readonly from: number;
}

/**
 * The finer versions of a session, newest first: its last version, then
 * every autosaved or named version inside it (`marks`, the older listing),
 * each compared with the next older one; the oldest with the version
 * before the session.
 */
export function sessionSteps(
  session: Pick<SessionEntry, 'fromVersion' | 'toVersion'>,
  marks: readonly Pick<VersionSummary, 'version'>[],
): VersionStep[] {
  const inside = new Set([session.toVersion]);
  for (const m of marks)
    if (m.version >= session.fromVersion && m.version < session.toVersion) inside.add(m.version);
  const versions = [...inside].sort((a, b) => b - a);
  return versions.map((version, i) => ({ version, from: versions[i + 1] ?? session.fromVersion - 1 }));
}

/**
 * What opening `version` compares it with by default: the version before
 * the session (or restore) it belongs to, so a session's whole work shows;
 * the version just before when it starts a session.
 */
export function defaultFrom(version: number, entries: readonly HistoryEntry[]): number {
  for (const entry of entries) {
    if (entry.kind === 'named') continue;
    if (version >= entry.fromVersion && version <= entry.toVersion)
      return version === entry.fromVersion ? Math.max(0, version - 1) : entry.fromVersion - 1;
  }
  return Math.max(0, version - 1);
}

/** A version the view can compare with. */
export interface CompareChoice {
  readonly version: number;
  readonly label: string;
}

/**
 * The versions below `below` that the history knows (session ends and the
 * versions before each session, restores, names, autosaves) plus 0 and
 * `current`, newest first, each once, named ones with their name.
 */
export function compareChoices(
  entries: readonly HistoryEntry[],
  marks: readonly Pick<VersionSummary, 'version'>[],
  below: number,
  current: number,
): CompareChoice[] {
  const names = new Map<number, string>();
  const versions = new Set([0, current, ...marks.map((m) => m.version)]);
  for (const entry of entries) {
    if (entry.kind === 'named') {
      names.set(entry.version, entry.name);
      versions.add(entry.version);
    } else {
      versions.add(entry.toVersion);
      versions.add(entry.fromVersion - 1);
    }
  }
  return [...versions]
    .filter((v) => v >= 0 && v < below)
    .sort((a, b) => b - a)
    .map((version) => {
      const name = names.get(version);
      const label = name
        ? `Version ${version}, “${name}”`
        : version === 0
          ? 'Version 0 (empty)'
          : `Version ${version}`;
      return { version, label };
    });
}
