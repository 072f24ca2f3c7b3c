import type { InvitableRole, MemberList } from '@collab/contracts';
import { type FormEvent, useCallback, useEffect, useState } from 'react';
import { describeError } from '../errors/messages';
import { useServices, useSession } from '../app-context';
import { Avatars } from './avatars';
import { Modal } from './dialog';

/** Invite by email, change roles, remove people, copy links. Only the owner manages people. */
export function ShareDialog({
  docId,
  isOwner,
  onClose,
}: {
  docId: string;
  isOwner: boolean;
  onClose: () => void;
}) {
  const { calls } = useServices();
  const session = useSession();
  const [list, setList] = useState<MemberList | null>(null);
  const [email, setEmail] = useState('');
  const [role, setRole] = useState<InvitableRole>('editor');
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);

  const load = useCallback(async () => {
    try {
      setList(await calls.members(docId));
    } catch (e) {
      setError(describeError(e));
    }
  }, [calls, docId]);
  useEffect(() => void load(), [load]);

  const act = async (action: () => Promise<unknown>, done?: string) => {
    setError(null);
    setNotice(null);
    try {
      await action();
      if (done) setNotice(done);
      await load();
    } catch (e) {
      setError(describeError(e));
    }
  };

  const invite = (event: FormEvent) => {
    event.preventDefault();
    void act(async () => {
      const sent = await calls.invite(docId, email, role);
      setEmail('');
      if (sent.token) await copy(inviteLink(sent.token));
    }, `Invitation sent to ${email}. The link is on your clipboard too.`);
  };

  const copy = async (text: string) => {
    try {
      await navigator.clipboard.writeText(text);
    } catch {
      // Clipboard refused (permissions): the notice still shows the link.
      setNotice(text);
    }
  };

  return (
    <Modal open onOpenChange={(open) => !open && onClose()} title="Share" className="share-dialog">
      {isOwner && (
        <form className="invite-form" onSubmit={invite}>
          <input
            type="email"
            placeholder="Email address"
            aria-label="Email address"
            value={email}
            onChange={(e) => setEmail(e.target.value)}
            required
          />
          <select aria-label="Role" value={role} onChange={(e) => setRole(e.target.value as InvitableRole)}>
            <option value="editor">Editor</option>
            <option value="commenter">Commenter</option>
            <option value="viewer">Viewer</option>
          </select>
          <button className="primary" type="submit">
            Invite
          </button>
        </form>
      )}
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      {notice && (
        <p className="notice" role="status">
          {notice}
        </p>
      )}
      <ul className="members">
        {list?.members.map((m) => (
          <li key={m.userId}>
            <Avatars people={[{ id: m.userId, name: m.name, color: m.color }]} />
            <span className="member-name">
              {m.name}
              {m.userId === session?.me?.id && ' (you)'}
              <small className="muted">{m.email}</small>
            </span>
            {isOwner && m.role !== 'owner' ? (
              <>
                <select
                  aria-label={`Role of ${m.name}`}
                  value={m.role}
                  onChange={(e) =>
                    void act(() => calls.changeRole(docId, m.userId, e.target.value as InvitableRole))
                  }
                >
                  <option value="editor">Editor</option>
                  <option value="commenter">Commenter</option>
                  <option value="viewer">Viewer</option>
                </select>
                <button
                  className="danger"
                  aria-label={`Remove ${m.name}`}
                  onClick={() => void act(() => calls.removeMember(docId, m.userId))}
                >
                  Remove
                </button>
              </>
            ) : (
              <span className="muted">{m.role}</span>
            )}
          </li>
        ))}
        {list?.invitations.map((inv) => (
          <li key={inv.id} className="pending">
            <span className="member-name">
              {inv.email}
              <small className="muted">invited as {inv.role}</small>
            </span>
            {inv.token && (
              <button
                aria-label={`Copy invitation link for ${inv.email}`}
                onClick={() => void copy(inviteLink(inv.token!))}
              >
                Copy link
              </button>
            )}
            {isOwner && (
              <button
                className="danger"
                aria-label={`Revoke invitation for ${inv.email}`}
                onClick={() => void act(() => calls.revokeInvitation(docId, inv.id))}
              >
                Revoke
              </button>
            )}
          </li>
        ))}
      </ul>
      <footer>
        <button onClick={() => void copy(window.location.href).then(() => setNotice('Link copied.'))}>
          Copy link to this document
        </button>
      </footer>
    </Modal>
  );
}

function inviteLink(token: string): string {
  return `${window.location.origin}/invite?token=${encodeURIComponent(token)}`;
}
