import type { VersionList } from '@collab/contracts';
import { useEffect, useRef, useState } from 'react';
import { useServices } from '../app-context';
import { describeError } from '../errors/messages';
import { downloadExport, EXPORT_CHOICES } from '../history/export-file';
import { HistoryList } from '../history/history-list';
import type { VersionStep } from '../history/session-label';
import { PromptDialog } from './dialog';

/**
 * The document's history, newest first: editing sessions, restores and
 * named versions. Choosing one opens it in place of the live document (see
 * VersionView); "Show authors" colours the live text by who wrote it. Name
 * the current version, or export it.
 */
export function HistoryPanel({
  docId,
  title,
  canEdit,
  list,
  loadError,
  reload,
  hasOlder,
  loadOlder,
  viewing,
  onOpen,
  showAuthors,
  onShowAuthors,
  onClose,
}: {
  docId: string;
  title: string;
  canEdit: boolean;
  list: VersionList | null;
  loadError: string | null;
  reload: () => Promise<void>;
  /** Whether an older page may exist, and how to load it. */
  hasOlder: boolean;
  loadOlder: () => Promise<void>;
  viewing: VersionStep | null;
  onOpen: (step: VersionStep) => void;
  showAuthors: boolean;
  onShowAuthors: (show: boolean) => void;
  onClose: () => void;
}) {
  const { calls } = useServices();
  const [error, setError] = useState<string | null>(null);
  const [naming, setNaming] = useState(false);
  const [onlyNamed, setOnlyNamed] = useState(false);

  // Opening the panel moves focus into it (on a phone it covers the editor like a sheet).
  const panelRef = useRef<HTMLElement | null>(null);
  useEffect(() => panelRef.current?.focus(), []);

  // Dialog actions throw on failure: the dialog stays open and says why.
  const name = async (value: string) => {
    if (!list) return;
    await calls.nameVersion(docId, list.headVersion, value);
    await reload();
  };

  return (
    <aside
      className="history-panel card"
      aria-label="Version history"
      data-viewing={viewing ? 'true' : 'false'}
      ref={panelRef}
      tabIndex={-1}
      // Escape inside the panel closes it, unless a version is open: then Escape returns to the
      // live document (VersionView). Not an Escape in one of its dialogs, which live in a portal.
      onKeyDown={(e) =>
        e.key === 'Escape' && !viewing && panelRef.current?.contains(e.target as Node) && onClose()
      }
    >
      <header>
        <h2>Version history</h2>
        <button className="icon-button" aria-label="Close history" onClick={onClose}>
          ✕
        </button>
      </header>
      {(error ?? loadError) && (
        <p className="error" role="alert">
          {error ?? loadError}
        </p>
      )}
      <label className="toggle-row">
        <input type="checkbox" checked={showAuthors} onChange={(e) => onShowAuthors(e.target.checked)} />
        Show authors
      </label>
      {canEdit && list && list.headVersion > 0 && (
        <button onClick={() => setNaming(true)}>Name current version…</button>
      )}
      <div className="export-row">
        <span className="muted">Export current:</span>
        {EXPORT_CHOICES.map((c) => (
          <button
            key={c.format}
            onClick={() =>
              void downloadExport(calls, docId, title, c.format).catch((e: unknown) =>
                setError(describeError(e)),
              )
            }
          >
            {c.label}
          </button>
        ))}
      </div>
      <label className="toggle-row">
        <input type="checkbox" checked={onlyNamed} onChange={(e) => setOnlyNamed(e.target.checked)} />
        Only named versions
      </label>
      {list === null ? (
        <p className="muted">Loading…</p>
      ) : (
        <HistoryList list={list} onlyNamed={onlyNamed} viewing={viewing} onOpen={onOpen} />
      )}
      {hasOlder && <button onClick={() => void loadOlder()}>Show older versions</button>}
      <PromptDialog
        open={naming}
        onOpenChange={setNaming}
        title={list ? `Name version ${list.headVersion}` : 'Name version'}
        label="Version name"
        confirm="Save name"
        onSubmit={name}
      />
    </aside>
  );
}
