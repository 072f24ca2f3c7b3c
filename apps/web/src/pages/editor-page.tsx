import type { DocumentSummary } from '@collab/contracts';
import { useEffect, useMemo, useState } from 'react';
import { Link, useParams } from 'react-router-dom';
import { ApiError, describeError } from '../api/api-error';
import { useServices } from '../app-context';
import { Avatars, type Person } from '../components/avatars';
import { HistoryPanel } from '../components/history-panel';
import { saveStatusLabel } from '../components/save-status';
import { ShareDialog } from '../components/share-dialog';
import { TopBar } from '../components/top-bar';
import { CollabEditor } from '../editor/collab-editor';
import { useCollabSession } from '../editor/use-collab-session';

const titleKey = (docId: string) => `collab-title:${docId}`;
const lastTitle = (docId: string) => {
  try {
    return localStorage.getItem(titleKey(docId)) ?? '';
  } catch {
    return ''; // storage disabled
  }
};
const rememberTitle = (docId: string, title: string) => {
  try {
    localStorage.setItem(titleKey(docId), title);
  } catch {
    // storage disabled or full: the title loads over the network next time
  }
};

export function EditorPage() {
  const { docId = '' } = useParams();
  const services = useServices();
  const { calls } = services;
  const collab = useCollabSession(services, docId);
  const [meta, setMeta] = useState<DocumentSummary | null>(null);
  // The last title seen on this device: shown until the metadata loads (offline, until the network returns).
  const [title, setTitle] = useState(() => lastTitle(docId));
  const [error, setError] = useState<ApiError | null>(null);
  const [panel, setPanel] = useState<'share' | 'history' | null>(null);

  // The title and role load over REST; without a network they load when it
  // returns (the editor itself opens over the socket meanwhile).
  const needMeta = meta === null;
  useEffect(() => {
    if (!needMeta || !collab.online) return;
    let cancelled = false;
    calls.getDocument(docId).then(
      (doc) => {
        if (cancelled) return;
        setMeta(doc);
        setTitle(doc.title);
        rememberTitle(docId, doc.title);
        setError(null);
      },
      (e: unknown) => !cancelled && setError(e instanceof ApiError ? e : new ApiError('INTERNAL')),
    );
    return () => {
      cancelled = true;
    };
  }, [calls, docId, needMeta, collab.online]);

  useEffect(() => {
    document.title = meta ? `${meta.title} — Collab` : 'Collab';
  }, [meta]);

  const people: Person[] = useMemo(() => {
    // One avatar per person, however many tabs they have open.
    const byUser = new Map<string, Person>();
    for (const p of collab.presence.values())
      byUser.set(p.userId, { id: p.userId, name: p.name, color: p.color });
    return [...byUser.values()];
  }, [collab.presence]);

  const role = collab.session?.role ?? meta?.role;
  const canEdit = role === 'owner' || role === 'editor';

  const saveTitle = async () => {
    const next = title.trim();
    if (!meta || !next || next === meta.title) return setTitle(meta?.title ?? '');
    try {
      const renamed = await calls.renameDocument(docId, next);
      setMeta(renamed);
      rememberTitle(docId, renamed.title);
    } catch (e) {
      setError(e instanceof ApiError ? e : new ApiError('INTERNAL'));
      setTitle(meta.title);
    }
  };

  // No such document or no access: nothing to show. Anything else (offline,
  // a failed rename) leaves the editor working, with the reason shown.
  const fatal =
    error && (error.code === 'NOT_FOUND' || error.code === 'FORBIDDEN')
      ? error.message
      : collab.error && !collab.session
        ? collab.error.message
        : null;
  const note = !fatal && error ? describeError(error) : null;
  return (
    <>
      <TopBar>
        <input
          className="title-input"
          aria-label="Document title"
          value={title}
          readOnly={!canEdit}
          onChange={(e) => setTitle(e.target.value)}
          onBlur={() => void saveTitle()}
          onKeyDown={(e) => e.key === 'Enter' && (e.target as HTMLInputElement).blur()}
        />
        <span className="save-status" data-state={collab.status} role="status">
          {saveStatusLabel(collab.status, collab.pending)}
        </span>
        <span className="spacer" />
        <Avatars people={people} />
        <button onClick={() => setPanel(panel === 'history' ? null : 'history')}>History</button>
        <button className="primary" onClick={() => setPanel('share')}>
          Share
        </button>
      </TopBar>
      {fatal ? (
        <main className="documents">
          <p className="error" role="alert">
            {fatal}
          </p>
          <Link to="/">Back to your documents</Link>
        </main>
      ) : (
        <main className="editor-page">
          <div className="editor-column">
            {collab.session ? (
              <CollabEditor doc={collab.session.doc} editable={canEdit} presence={collab.presence} />
            ) : collab.status === 'offline' ? (
              // A document this device has opened before opens from its local
              // replica, offline too; one it has never seen needs the network.
              <p className="muted page">
                You’re offline, and this document has not been opened on this device yet. It opens when you
                reconnect.
              </p>
            ) : (
              <p className="muted page">Opening…</p>
            )}
            {note && <p className="muted">{note}</p>}
            {collab.error && collab.session && (
              <p className="error" role="alert">
                {collab.error.message}
              </p>
            )}
          </div>
          {panel === 'history' && (
            <HistoryPanel
              docId={docId}
              title={meta?.title ?? ''}
              canEdit={canEdit}
              onClose={() => setPanel(null)}
            />
          )}
        </main>
      )}
      {panel === 'share' && (
        <ShareDialog docId={docId} isOwner={role === 'owner'} onClose={() => setPanel(null)} />
      )}
    </>
  );
}
