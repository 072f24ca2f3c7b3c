import * as Menu from '@radix-ui/react-dropdown-menu';
import type { ReactNode } from 'react';
import { Link, useNavigate } from 'react-router-dom';
import { useServices, useSession } from '../app-context';
import { NotificationsBell } from '../notifications/notifications-bell';
import { initials, textColorOn } from './avatars';

/**
 * The bar on every signed-in page: the brand, the page's own `main` part
 * (the document title and its status), its `actions`, and the account menu.
 * On a phone the actions take a second row (styles.css), so nothing covers
 * anything else.
 */
export function TopBar({ main, actions }: { main?: ReactNode; actions?: ReactNode }) {
  const { calls } = useServices();
  const session = useSession();
  const navigate = useNavigate();
  const me = session?.me;
  const signOut = async () => {
    await calls.signOut().catch(() => undefined);
    void navigate('/sign-in');
  };
  return (
    <header className="top-bar">
      <Link to="/" className="brand">
        Collab
      </Link>
      <div className="top-bar-main">{main}</div>
      {/* The bell goes with the page's actions (on a phone they take a row of their own, the title keeps its room). */}
      {actions ? (
        <div className="top-bar-actions">
          {actions}
          {session && <NotificationsBell />}
        </div>
      ) : (
        session && <NotificationsBell />
      )}
      <Menu.Root modal={false}>
        <Menu.Trigger asChild>
          <button className="account-button" aria-label={`Account${me ? `: ${me.name}` : ''}`}>
            <span
              className="avatar"
              style={{ background: me?.color ?? '#475467', color: textColorOn(me?.color ?? '#475467') }}
              aria-hidden="true"
            >
              {initials(me?.name ?? '?')}
            </span>
          </button>
        </Menu.Trigger>
        <Menu.Portal>
          <Menu.Content className="menu card" align="end" sideOffset={6}>
            {me && (
              <Menu.Label className="menu-label">
                <strong>{me.name}</strong>
                <span className="muted">{me.email}</span>
              </Menu.Label>
            )}
            <Menu.Item className="menu-item" onSelect={() => void navigate('/')}>
              Your documents
            </Menu.Item>
            <Menu.Item className="menu-item" onSelect={() => void signOut()}>
              Sign out
            </Menu.Item>
          </Menu.Content>
        </Menu.Portal>
      </Menu.Root>
    </header>
  );
}
