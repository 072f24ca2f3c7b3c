import type { DocumentSummary, InvitationDto } from '@collab/contracts';
import { useCallback, useEffect, useState } from 'react';
import { Link, useNavigate } from 'react-router-dom';
import { describeError } from '../errors/messages';
import { useServices, useSession } from '../app-context';
import { Avatars } from '../components/avatars';
import { ConfirmDialog, PromptDialog } from '../components/dialog';
import { relativeTime } from '../components/relative-time';
import { TopBar } from '../components/top-bar';

type Filter = 'all' | 'mine' | 'shared';

const ROLE_LABEL: Record<DocumentSummary['role'], string> = {
  owner: 'Owner',
  editor: 'Editor',
  commenter: 'Commenter',
  viewer: 'Viewer',
};

export function DocumentsPage() {
  const { calls } = useServices();
  const session = useSession();
  const navigate = useNavigate();
  const [documents, setDocuments] = useState<DocumentSummary[] | null>(null);
  const [invitations, setInvitations] = useState<InvitationDto[]>([]);
  const [filter, setFilter] = useState<Filter>('all');
  const [error, setError] = useState<string | null>(null);
  const [renaming, setRenaming] = useState<DocumentSummary | null>(null);
  const [deleting, setDeleting] = useState<DocumentSummary | null>(null);

  const load = useCallback(async () => {
    try {
      const [docs, invites] = await Promise.all([calls.listDocuments(), calls.invitations()]);
      setDocuments(docs);
      setInvitations(invites);
      setError(null);
    } catch (e) {
      setError(describeError(e));
    }
  }, [calls]);

  useEffect(() => {
    void load();
  }, [load]);

  const create = async () => {
    try {
      const created = await calls.createDocument('Untitled document');
      // The caret goes straight into the new document.
      void navigate(`/d/${created.id}`, { state: { focusEditor: true } });
    } catch (e) {
      setError(describeError(e));
    }
  };

  // Dialog actions throw on failure: the dialog stays open and says why.
  const rename = async (doc: DocumentSummary, title: string) => {
    if (title !== doc.title) await calls.renameDocument(doc.id, title);
    await load();
  };

  const remove = async (doc: DocumentSummary) => {
    await calls.deleteDocument(doc.id);
    await load();
  };

  const accept = async (invitation: InvitationDto) => {
    try {
      const result = await calls.acceptInvitation(invitation.id);
      void navigate(`/d/${result.documentId}`);
    } catch (e) {
      setError(describeError(e));
      await load();
    }
  };

  const me = session?.me?.id;
  const shown = (documents ?? []).filter((d) =>
    filter === 'all' ? true : filter === 'mine' ? d.ownerId === me : d.ownerId !== me,
  );

  return (
    <>
      <TopBar />
      <main className="documents">
        {invitations.length > 0 && (
          <section className="card invitations" aria-label="Invitations">
            <h2>Invitations</h2>
            <ul>
              {invitations.map((inv) => (
                <li key={inv.id}>
                  <span>
                    <strong>{inv.invitedBy.name}</strong> invited you to <strong>{inv.documentTitle}</strong>{' '}
                    as {inv.role}
                  </span>
                  <button className="primary" onClick={() => void accept(inv)}>
                    Accept
                  </button>
                </li>
              ))}
            </ul>
          </section>
        )}
        <div className="documents-header">
          <h1>Documents</h1>
          <div className="filters" role="group" aria-label="Show">
            {(['all', 'mine', 'shared'] as const).map((f) => (
              <button key={f} aria-pressed={filter === f} onClick={() => setFilter(f)}>
                {f === 'all' ? 'All' : f === 'mine' ? 'Owned by me' : 'Shared with me'}
              </button>
            ))}
          </div>
          <button className="primary" onClick={() => void create()}>
            New document
          </button>
        </div>
        {error && (
          <p className="error" role="alert">
            {error}
          </p>
        )}
        {documents === null ? (
          <p className="muted">Loading…</p>
        ) : shown.length === 0 ? (
          <p className="muted empty">
            {filter === 'shared' ? 'Nothing has been shared with you yet.' : 'No documents yet. Create one.'}
          </p>
        ) : (
          <table className="document-table">
            <thead>
              <tr>
                <th>Title</th>
                <th>Role</th>
                <th>Last edited</th>
                <th>People</th>
                <th>
                  <span className="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {shown.map((doc) => (
                <tr key={doc.id}>
                  <td>
                    <Link to={`/d/${doc.id}`} className="document-link">
                      {doc.title}
                    </Link>
                  </td>
                  <td className="muted cell-role">{ROLE_LABEL[doc.role]}</td>
                  <td className="muted cell-edited" title={new Date(doc.updatedAt).toLocaleString()}>
                    {relativeTime(doc.updatedAt)}
                  </td>
                  <td className="cell-people">
                    <Avatars
                      people={doc.collaborators.map((c) => ({ id: c.userId, name: c.name, color: c.color }))}
                    />
                  </td>
                  <td className="row-actions">
                    {(doc.role === 'owner' || doc.role === 'editor') && (
                      <button onClick={() => setRenaming(doc)} aria-label={`Rename ${doc.title}`}>
                        Rename
                      </button>
                    )}
                    {doc.role === 'owner' && (
                      <button
                        className="danger"
                        onClick={() => setDeleting(doc)}
                        aria-label={`Delete ${doc.title}`}
                      >
                        Delete
                      </button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </main>
      <PromptDialog
        open={renaming !== null}
        onOpenChange={(open) => !open && setRenaming(null)}
        title="Rename document"
        label="Title"
        initial={renaming?.title ?? ''}
        confirm="Rename"
        onSubmit={(title) => (renaming ? rename(renaming, title) : undefined)}
      />
      <ConfirmDialog
        open={deleting !== null}
        onOpenChange={(open) => !open && setDeleting(null)}
        title="Delete document?"
        description={`“${deleting?.title ?? ''}” will be deleted for everyone who has it. This cannot be undone.`}
        confirm="Delete"
        danger
        onConfirm={() => (deleting ? remove(deleting) : undefined)}
      />
    </>
  );
}
