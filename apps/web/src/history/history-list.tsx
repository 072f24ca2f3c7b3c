import type { HistoryEntry, SessionEntry, VersionList } from '@collab/contracts';
import { type RefObject, useLayoutEffect, useRef, useState } from 'react';
import { Avatars } from '../components/avatars';
import { type ColourOf, useDocumentColour } from './document-colours';
import { namesLabel, sessionLabel, sessionSteps, type VersionStep, whenLabel } from './session-label';

const people = (authors: SessionEntry['authors'], colourOf: ColourOf) =>
  authors.map((a) => ({ id: a.userId, name: a.name, color: colourOf(a.userId, a.color) }));

/**
 * The history as people read it: editing sessions ("Today 10:42, Ana and
 * Bruno"), each opening its whole work and expanding into its finer
 * versions; restores and named versions marked as such. `onlyNamed` keeps
 * the named versions alone.
 */
export function HistoryList({
  list,
  onlyNamed,
  viewing,
  onOpen,
}: {
  list: VersionList;
  onlyNamed: boolean;
  viewing: VersionStep | null;
  onOpen: (step: VersionStep) => void;
}) {
  // Keyed by the session's first version, which stays as the session grows: a refresh keeps them open.
  const [expanded, setExpanded] = useState<ReadonlySet<number>>(new Set());
  const entriesRef = useRef<HTMLOListElement | null>(null);
  useScrollAnchor(entriesRef, list);
  const names = new Map(
    list.entries.flatMap((e) => (e.kind === 'named' ? [[e.version, e.name] as const] : [])),
  );
  const shown = list.entries.filter((e) => !onlyNamed || e.kind === 'named');
  const isViewing = (version: number) => viewing?.version === version;
  const toggle = (fromVersion: number) =>
    setExpanded((open) => {
      const next = new Set(open);
      if (!next.delete(fromVersion)) next.add(fromVersion);
      return next;
    });

  if (shown.length === 0)
    return <p className="muted">{onlyNamed ? 'No named versions yet.' : 'No edits yet.'}</p>;
  return (
    <ol className="history-entries" ref={entriesRef}>
      {shown.map((entry) => (
        <li key={keyOf(entry)} data-entry={keyOf(entry)} className={`history-${entry.kind}`}>
          {entry.kind === 'session' ? (
            <SessionItem
              session={entry}
              steps={sessionSteps(entry, list.versions)}
              names={names}
              open={expanded.has(entry.fromVersion)}
              onToggle={() => toggle(entry.fromVersion)}
              isViewing={isViewing}
              onOpen={onOpen}
            />
          ) : entry.kind === 'restore' ? (
            <button
              className="version-row"
              aria-current={isViewing(entry.version) || undefined}
              onClick={() => onOpen({ version: entry.version, from: entry.version - 1 })}
            >
              <span className="entry-kind restore">Restore</span>
              <strong>Restored version {entry.restoredFrom}</strong>
              <span className="muted">
                Version {entry.version} · {whenLabel(entry.createdAt)} · by{' '}
                {namesLabel(entry.authors.map((a) => a.name))}
              </span>
            </button>
          ) : (
            <button
              className="version-row"
              aria-current={isViewing(entry.version) || undefined}
              onClick={() => onOpen({ version: entry.version, from: -1 })}
            >
              <span className="entry-kind named">Named version</span>
              <strong>{entry.name}</strong>
              <span className="muted">
                Version {entry.version} · {whenLabel(entry.createdAt)}
                {entry.namedBy ? ` · named by ${entry.namedBy.name}` : ''}
              </span>
            </button>
          )}
        </li>
      ))}
    </ol>
  );
}

/**
 * Keeps the entry at the top of the scrolled panel where it is on screen
 * when `list` changes (a refresh adds a session above it, or grows the one
 * above): the entry under the panel's top edge is remembered after every
 * render and scroll, and after a change the panel scrolls by however far it
 * moved. A browser that anchors scrolling itself leaves it unmoved: no-op.
 */
function useScrollAnchor(entriesRef: RefObject<HTMLOListElement | null>, list: VersionList): void {
  const anchor = useRef<{ key: string; top: number } | null>(null);
  const scroller = (entries: HTMLElement): HTMLElement | null => {
    for (let el = entries.parentElement; el; el = el.parentElement)
      if (/(auto|scroll)/.test(getComputedStyle(el).overflowY)) return el;
    return null;
  };
  const remember = (entries: HTMLElement, box: HTMLElement) => {
    const edge = box.getBoundingClientRect().top;
    const items = entries.querySelectorAll<HTMLElement>(':scope > li[data-entry]');
    const first = [...items].find((li) => li.getBoundingClientRect().bottom > edge);
    anchor.current = first
      ? { key: first.dataset['entry'] ?? '', top: first.getBoundingClientRect().top - edge }
      : null;
  };

  useLayoutEffect(() => {
    const entries = entriesRef.current;
    const box = entries && scroller(entries);
    if (!entries || !box) return;
    const was = anchor.current;
    if (was && box.scrollTop > 0) {
      const same = entries.querySelector<HTMLElement>(`:scope > li[data-entry="${was.key}"]`);
      if (same) box.scrollTop += same.getBoundingClientRect().top - box.getBoundingClientRect().top - was.top;
    }
    remember(entries, box);
    const onScroll = () => remember(entries, box);
    box.addEventListener('scroll', onScroll, { passive: true });
    return () => box.removeEventListener('scroll', onScroll);
  }, [entriesRef, list]);
}

function keyOf(entry: HistoryEntry): string {
  return entry.kind === 'named' ? `named-${entry.version}` : `${entry.kind}-${entry.fromVersion}`;
}

function SessionItem({
  session,
  steps,
  names,
  open,
  onToggle,
  isViewing,
  onOpen,
}: {
  session: SessionEntry;
  steps: readonly VersionStep[];
  names: ReadonlyMap<number, string>;
  open: boolean;
  onToggle: () => void;
  isViewing: (version: number) => boolean;
  onOpen: (step: VersionStep) => void;
}) {
  const label = sessionLabel(session);
  const colourOf = useDocumentColour();
  const span =
    session.fromVersion === session.toVersion
      ? `Version ${session.toVersion}`
      : `Versions ${session.fromVersion}–${session.toVersion}`;
  return (
    <>
      <div className="session-row">
        <button
          className="version-row"
          aria-current={isViewing(session.toVersion) || undefined}
          onClick={() => onOpen({ version: session.toVersion, from: session.fromVersion - 1 })}
        >
          <strong>{label}</strong>
          <span className="muted">{span}</span>
          <Avatars people={people(session.authors, colourOf)} max={4} />
        </button>
        {steps.length > 1 && (
          <button
            className="icon-button expand-session"
            aria-expanded={open}
            aria-label={`${open ? 'Hide' : 'Show'} the ${steps.length} versions of ${label}`}
            onClick={onToggle}
          >
            {open ? '▾' : '▸'}
          </button>
        )}
      </div>
      {open && (
        <ol className="session-steps">
          {steps.map((step) => (
            <li key={step.version}>
              <button
                className="version-row"
                aria-current={isViewing(step.version) || undefined}
                onClick={() => onOpen(step)}
              >
                Version {step.version}
                {names.has(step.version) ? `, “${names.get(step.version)}”` : ''}
              </button>
            </li>
          ))}
        </ol>
      )}
    </>
  );
}
