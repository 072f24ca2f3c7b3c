import { endedForGood } from '@collab/client';
import { useCallback, useMemo, useRef, useState } from 'react';
import type { Editor } from '@tiptap/react';
import { useLocation, useParams, useSearchParams } from 'react-router-dom';
import type { ApiError } from '../api/api-error';
import { useServices } from '../app-context';
import { Avatars, type Person } from '../components/avatars';
import { HistoryPanel } from '../components/history-panel';
import { saveStatusLabel } from '../components/save-status';
import { ShareDialog } from '../components/share-dialog';
import { TopBar } from '../components/top-bar';
import { DocumentComments } from '../comments/document-comments';
import { CollabEditor } from '../editor/collab-editor';
import { CommentIcon } from '../editor/icons';
import { useCollabSession } from '../editor/use-collab-session';
import { useDocumentMeta } from '../editor/use-document-meta';
import { DocumentProblemPage } from '../errors/document-problem-page';
import { DocumentColoursContext } from '../history/document-colours';
import { compareChoices, defaultFrom, type VersionStep } from '../history/session-label';
import { useDocumentColours } from '../history/use-document-colours';
import { useHistoryList } from '../history/use-history-list';
import { VersionView } from '../history/version-view';
import { describeError, type DocumentProblem, documentProblemOf } from '../errors/messages';
import { useDocumentInbox } from '../notifications/use-document-inbox';

export function EditorPage() {
  const { docId = '' } = useParams();
  const location = useLocation();
  const focusEditor = (location.state as { focusEditor?: boolean } | null)?.focusEditor === true;
  const services = useServices();
  const { calls } = services;
  const collab = useCollabSession(services, docId);
  const [notice, setNotice] = useState<string | null>(null);
  const [panel, setPanel] = useState<'share' | 'history' | null>(null);
  // Comments: the panel beside the text (open unless closed), the thread a notification's link names.
  const [commentsOpen, setCommentsOpen] = useState(true);
  const [editor, setEditor] = useState<Editor | null>(null);
  const requestComment = useRef<(() => void) | null>(null);
  const [search] = useSearchParams();
  const focusThread = search.get('thread');
  // Closing a panel puts the focus back on the button that opened it (the dialog unmounts as it closes).
  const shareButton = useRef<HTMLButtonElement | null>(null);
  const historyButton = useRef<HTMLButtonElement | null>(null);
  const closePanel = () => {
    const opener = panel === 'share' ? shareButton.current : historyButton.current;
    setPanel(null);
    setViewing(null);
    requestAnimationFrame(() => opener?.focus());
  };

  // History: a past version open in place of the live document, and "Show authors".
  const history = useHistoryList(docId, panel === 'history', collab.session?.doc ?? null);
  const [viewing, setViewing] = useState<VersionStep | null>(null);
  const [showAuthors, setShowAuthors] = useState(false);
  const openVersion = (step: VersionStep) =>
    setViewing({
      version: step.version,
      from: step.from >= 0 ? step.from : defaultFrom(step.version, history.list?.entries ?? []),
    });
  const { reload: reloadHistory } = history;
  const closeVersion = useCallback(() => {
    setViewing(null);
    void reloadHistory();
    // Back to the list, where the version was chosen.
    requestAnimationFrame(() => document.querySelector<HTMLElement>('.history-panel')?.focus());
  }, [reloadHistory]);

  const connected = collab.status === 'connected';
  // The document's socket brings the notifications here: no inbox socket beside it.
  useDocumentInbox(connected);
  const {
    meta,
    title,
    setTitle,
    saveTitle,
    error: metaError,
    retry,
  } = useDocumentMeta(docId, { online: collab.online, connected }, setNotice);

  const me = services.session.session?.me ?? null;
  // Colours told apart within this document (two members may share an account colour).
  const presentIds = useMemo(() => [...collab.presence.values()].map((p) => p.userId), [collab.presence]);
  const colourOf = useDocumentColours(docId, presentIds);
  const presence = useMemo(
    () =>
      new Map([...collab.presence].map(([key, p]) => [key, { ...p, color: colourOf(p.userId, p.color) }])),
    [collab.presence, colourOf],
  );
  const peopleRef = useRef(new Map<string, Person>());
  const authorColours = {
    show: showAuthors,
    me: me && { userId: me.id, name: me.name, color: colourOf(me.id, me.color) },
    lookup: (userId: string) => peopleRef.current.get(userId),
    loadAttribution: (version: number) => calls.attribution(docId, version),
    onProblem: (message: string) => setNotice(message),
  };

  const people: Person[] = useMemo(() => {
    // One avatar per person, however many tabs they have open.
    const byUser = new Map<string, Person>();
    for (const p of presence.values()) byUser.set(p.userId, { id: p.userId, name: p.name, color: p.color });
    peopleRef.current = byUser;
    return [...byUser.values()];
  }, [presence]);

  const role = collab.session?.role ?? meta?.role;
  const canEdit = role === 'owner' || role === 'editor';

  const problem = documentProblem(collab, metaError);
  const open = problem === null && collab.session !== null;
  return (
    <DocumentColoursContext.Provider value={colourOf}>
      <TopBar
        main={
          problem === null && (
            <input
              className="title-input"
              aria-label="Document title"
              value={title}
              readOnly={!canEdit}
              onChange={(e) => setTitle(e.target.value)}
              onBlur={() => void saveTitle()}
              onKeyDown={(e) => e.key === 'Enter' && (e.target as HTMLInputElement).blur()}
            />
          )
        }
        actions={
          problem === null && (
            <>
              {open && (
                <span className="save-status" data-state={collab.status} role="status">
                  {saveStatusLabel(collab.status, collab.unsaved, collab.error)}
                </span>
              )}
              {role === 'viewer' && <span className="badge">View only</span>}
              {role === 'commenter' && <span className="badge">Comment only</span>}
              <span className="spacer" />
              <Avatars people={people} />
              <button
                className="comments-toggle"
                aria-label="Comments"
                aria-pressed={commentsOpen}
                onClick={() => setCommentsOpen((o) => !o)}
              >
                <CommentIcon />
                <span className="wide-only" aria-hidden="true">
                  Comments
                </span>
              </button>
              <button
                ref={historyButton}
                aria-pressed={panel === 'history'}
                onClick={() => (panel === 'history' ? closePanel() : setPanel('history'))}
              >
                History
              </button>
              {canEdit && (
                <button ref={shareButton} className="primary" onClick={() => setPanel('share')}>
                  Share
                </button>
              )}
            </>
          )
        }
      />
      {problem ? (
        <DocumentProblemPage
          problem={problem}
          detail={problem === 'failed' && collab.error ? describeError(collab.error) : undefined}
          // A refusal the SDK ended for good (an old app, an address the server does not allow) would only
          // be refused again: the page offers what the error's words say, not a retry.
          onRetry={endedForGood(collab.error) ? undefined : retry}
        />
      ) : (
        <main className="editor-page" data-panel={panel ?? 'none'}>
          <div className="editor-column">
            {(notice ?? collab.notice) && (
              <p className="notice-line" role="alert">
                {notice ?? collab.notice}
              </p>
            )}
            {collab.error && collab.session && (
              <p className="error" role="alert">
                {describeError(collab.error)}
              </p>
            )}
            {viewing && (
              <VersionView
                // A new comparison reloads inside the view; the focus stays where it was.
                key={viewing.version}
                docId={docId}
                title={meta?.title ?? ''}
                version={viewing.version}
                from={viewing.from}
                choices={compareChoices(
                  history.list?.entries ?? [],
                  history.list?.versions ?? [],
                  viewing.version,
                  viewing.from,
                )}
                head={Math.max(history.list?.headVersion ?? 0, collab.session?.doc.version ?? 0)}
                canEdit={canEdit}
                onCompare={(version, from) => setViewing({ version, from })}
                onClose={closeVersion}
                onNamed={() => void history.reload()}
              />
            )}
            {collab.session ? (
              // The live editor stays open (and up to date) behind a version being viewed.
              <div className="live-editor" hidden={viewing !== null}>
                <CollabEditor
                  doc={collab.session.doc}
                  editable={canEdit}
                  presence={presence}
                  onEdit={collab.session.countEdit}
                  autoFocus={focusEditor}
                  authorColours={authorColours}
                  onEditor={setEditor}
                  onComment={() => requestComment.current?.()}
                />
              </div>
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
          </div>
          {collab.session && (
            <DocumentComments
              services={services}
              docId={docId}
              doc={collab.session.doc}
              editor={editor}
              role={role}
              shown={commentsOpen && panel !== 'history' && viewing === null}
              focusThread={focusThread}
              requestComment={requestComment}
              onNotification={(event) => services.notifications.receive(event)}
              onOpen={() => {
                setCommentsOpen(true);
                if (panel === 'history') closePanel();
              }}
            />
          )}
          {panel === 'history' && (
            <HistoryPanel
              docId={docId}
              title={meta?.title ?? ''}
              canEdit={canEdit}
              list={history.list}
              loadError={history.error}
              reload={history.reload}
              hasOlder={history.hasOlder}
              loadOlder={history.loadOlder}
              viewing={viewing}
              onOpen={openVersion}
              showAuthors={showAuthors}
              onShowAuthors={setShowAuthors}
              onClose={closePanel}
            />
          )}
        </main>
      )}
      {panel === 'share' && problem === null && (
        <ShareDialog docId={docId} isOwner={role === 'owner'} onClose={closePanel} />
      )}
    </DocumentColoursContext.Provider>
  );
}

/**
 * Which error page the editor page shows, if any. A document opened from this
 * device's replica keeps working through a network failure (the status line
 * says so); without one, an unreachable server is a page of its own.
 */
function documentProblem(
  collab: ReturnType<typeof useCollabSession>,
  metaError: ApiError | null,
): DocumentProblem | null {
  if (collab.revoked) return collab.revoked === 'document_deleted' ? 'deleted' : 'no-access';
  const metaProblem = metaError ? documentProblemOf(metaError.code) : null;
  if (metaProblem === 'not-found' || metaProblem === 'no-access' || metaProblem === 'signed-out')
    return metaProblem;
  if (collab.error && !collab.session) return documentProblemOf(collab.error.code) ?? 'failed';
  if (metaProblem === 'unreachable' && !collab.session && collab.online) return 'unreachable';
  return null;
}
