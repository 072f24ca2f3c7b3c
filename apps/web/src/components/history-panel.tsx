import type { ExportFormat, VersionContent, VersionList, VersionSummary } from '@collab/contracts';
import { EXPORT_FORMATS } from '@collab/contracts';
import { useCallback, useEffect, useRef, useState } from 'react';
import { describeError } from '../errors/messages';
import { useServices } from '../app-context';
import { Avatars } from './avatars';
import { ConfirmDialog, PromptDialog } from './dialog';
import { relativeTime } from './relative-time';

const KIND_LABEL: Record<VersionSummary['kind'], string> = {
  snapshot: 'Autosaved version',
  named: 'Named version',
  restore: 'Restore',
};

/**
 * The document's versions, newest first: preview any of them, name one,
 * restore one (a new version everyone converges on), export as a file.
 */
export function HistoryPanel({
  docId,
  title,
  canEdit,
  onClose,
}: {
  docId: string;
  title: string;
  canEdit: boolean;
  onClose: () => void;
}) {
  const { calls } = useServices();
  const [list, setList] = useState<VersionList | null>(null);
  const [selected, setSelected] = useState<number | null>(null);
  const [preview, setPreview] = useState<VersionContent | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [naming, setNaming] = useState<{ version: number; current: string } | null>(null);
  const [restoring, setRestoring] = useState<number | null>(null);

  // Opening the panel moves focus into it (on a phone it covers the editor like a sheet).
  const panelRef = useRef<HTMLElement | null>(null);
  useEffect(() => panelRef.current?.focus(), []);

  const load = useCallback(async () => {
    try {
      setList(await calls.versions(docId));
    } catch (e) {
      setError(describeError(e));
    }
  }, [calls, docId]);
  useEffect(() => void load(), [load]);

  useEffect(() => {
    if (selected === null) return setPreview(null);
    let cancelled = false;
    calls.versionContent(docId, selected).then(
      (content) => !cancelled && setPreview(content),
      (e: unknown) => !cancelled && setError(describeError(e)),
    );
    return () => {
      cancelled = true;
    };
  }, [calls, docId, selected]);

  // Dialog actions throw on failure: the dialog stays open and says why.
  const restore = async (version: number) => {
    await calls.restore(docId, version);
    setSelected(null);
    await load();
  };

  const name = async (version: number, value: string) => {
    await calls.nameVersion(docId, version, value);
    await load();
  };

  const download = async (format: ExportFormat, version?: number) => {
    try {
      const blob = await calls.exportFile(docId, format, version);
      const url = URL.createObjectURL(blob);
      const a = document.createElement('a');
      a.href = url;
      a.download = `${title || 'document'}${version === undefined ? '' : ` (v${version})`}.${EXPORT_FORMATS[format].extension}`;
      a.click();
      setTimeout(() => URL.revokeObjectURL(url), 10_000);
    } catch (e) {
      setError(describeError(e));
    }
  };

  return (
    <aside
      className="history-panel card"
      aria-label="Version history"
      ref={panelRef}
      tabIndex={-1}
      // Escape inside the panel closes it (not an Escape in one of its dialogs, which live in a portal).
      onKeyDown={(e) => e.key === 'Escape' && panelRef.current?.contains(e.target as Node) && onClose()}
    >
      <header>
        <h2>Version history</h2>
        <button className="icon-button" aria-label="Close history" onClick={onClose}>
          ✕
        </button>
      </header>
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      {canEdit && list && list.headVersion > 0 && (
        <button onClick={() => setNaming({ version: list.headVersion, current: '' })}>
          Name current version…
        </button>
      )}
      <div className="export-row">
        <span className="muted">Export current:</span>
        {(['html', 'markdown', 'text'] as const).map((f) => (
          <button key={f} onClick={() => void download(f)}>
            {f === 'html' ? 'HTML' : f === 'markdown' ? 'Markdown' : 'Text'}
          </button>
        ))}
      </div>
      {list === null ? (
        <p className="muted">Loading…</p>
      ) : (
        <ol className="versions">
          {list.versions.length === 0 && <li className="muted">No saved versions yet.</li>}
          {list.versions.map((v) => (
            <li key={`${v.kind}-${v.version}`} className={selected === v.version ? 'selected' : ''}>
              <button className="version-row" onClick={() => setSelected(v.version)}>
                <strong>{v.name ?? KIND_LABEL[v.kind]}</strong>
                <span className="muted">
                  v{v.version} · {relativeTime(v.createdAt)}
                </span>
                <Avatars
                  people={v.authors.map((a) => ({ id: a.userId, name: a.name, color: a.color }))}
                  max={4}
                />
              </button>
            </li>
          ))}
        </ol>
      )}
      {preview && (
        <section className="version-preview" aria-label={`Version ${preview.version}`}>
          <div className="version-actions">
            {canEdit && (
              <button className="primary" onClick={() => setRestoring(preview.version)}>
                Restore this version
              </button>
            )}
            {canEdit && (
              <button
                onClick={() =>
                  setNaming({
                    version: preview.version,
                    current: list?.versions.find((v) => v.version === preview.version)?.name ?? '',
                  })
                }
              >
                Name…
              </button>
            )}
            {(['html', 'markdown', 'text'] as const).map((f) => (
              <button key={f} onClick={() => void download(f, preview.version)}>
                {f === 'markdown' ? 'MD' : f.toUpperCase()}
              </button>
            ))}
          </div>
          {/* Sanitized on the server (libs/rich-text: no scripts, handlers or unsafe links). */}
          <div className="preview-body ProseMirror" dangerouslySetInnerHTML={{ __html: preview.html }} />
        </section>
      )}
      <PromptDialog
        open={naming !== null}
        onOpenChange={(open) => !open && setNaming(null)}
        title={naming ? `Name version ${naming.version}` : 'Name version'}
        label="Version name"
        initial={naming?.current ?? ''}
        confirm="Save name"
        onSubmit={(value) => (naming ? name(naming.version, value) : undefined)}
      />
      <ConfirmDialog
        open={restoring !== null}
        onOpenChange={(open) => !open && setRestoring(null)}
        title={`Restore version ${restoring ?? ''}?`}
        description="Everyone editing will see the document as it was then. The current text stays in the history."
        confirm="Restore"
        onConfirm={() => (restoring !== null ? restore(restoring) : undefined)}
      />
    </aside>
  );
}
