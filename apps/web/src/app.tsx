import { type ReactNode, useEffect } from 'react';
import { BrowserRouter, Navigate, Route, Routes, useLocation, useParams } from 'react-router-dom';
import { useServices, useSession } from './app-context';
import { AcceptInvitePage } from './pages/accept-invite-page';
import { AuthPage } from './pages/auth-page';
import { DocumentsPage } from './pages/documents-page';
import { EditorPage } from './pages/editor-page';

/** Pages that need a signed-in person send everyone else to sign in, and back afterwards. */
function RequireSession({ children }: { children: ReactNode }) {
  const session = useSession();
  const { session: store } = useServices();
  const location = useLocation();
  if (!session) {
    const next = encodeURIComponent(location.pathname + location.search);
    const expired = store.endedBy === 'expired' ? '&expired=1' : '';
    return <Navigate to={`/sign-in?next=${next}${expired}`} replace />;
  }
  return <>{children}</>;
}

/** One editor page per document: opening another one (a copy, say) starts from a fresh page. */
function DocumentEditor() {
  const { docId = '' } = useParams();
  return <EditorPage key={docId} />;
}

export function App() {
  const { inbox } = useServices();
  // After the pages' effects: a document page holds the inbox before it starts (see LiveInbox.start).
  useEffect(() => inbox.start(), [inbox]);
  return (
    <BrowserRouter>
      <Routes>
        <Route path="/sign-in" element={<AuthPage mode="sign-in" />} />
        <Route path="/sign-up" element={<AuthPage mode="sign-up" />} />
        <Route
          path="/"
          element={
            <RequireSession>
              <DocumentsPage />
            </RequireSession>
          }
        />
        <Route
          path="/d/:docId"
          element={
            <RequireSession>
              <DocumentEditor />
            </RequireSession>
          }
        />
        <Route
          path="/invite"
          element={
            <RequireSession>
              <AcceptInvitePage />
            </RequireSession>
          }
        />
        <Route path="*" element={<Navigate to="/" replace />} />
      </Routes>
    </BrowserRouter>
  );
}
