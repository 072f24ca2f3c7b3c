import type { ReactNode } from 'react';
import { Link, useNavigate } from 'react-router-dom';
import { useServices, useSession } from '../app-context';
import { Avatars } from './avatars';

export function TopBar({ children }: { children?: ReactNode }) {
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
      <div className="top-bar-middle">{children}</div>
      {me && <Avatars people={[{ id: me.id, name: me.name, color: me.color }]} />}
      <button onClick={() => void signOut()}>Sign out</button>
    </header>
  );
}
