import { useEffect, useState } from 'react';
import { Link, useNavigate, useSearchParams } from 'react-router-dom';
import { describeError } from '../errors/messages';
import { useServices } from '../app-context';

/** The target of an invitation link: accepts its token for the signed-in person and opens the document. */
export function AcceptInvitePage() {
  const { calls } = useServices();
  const [params] = useSearchParams();
  const navigate = useNavigate();
  const [error, setError] = useState<string | null>(null);
  const token = params.get('token');

  useEffect(() => {
    if (!token) {
      setError('This invitation link is incomplete.');
      return;
    }
    let cancelled = false;
    calls.acceptInvitationToken(token).then(
      (result) => !cancelled && void navigate(`/d/${result.documentId}`, { replace: true }),
      (e: unknown) => !cancelled && setError(describeError(e)),
    );
    return () => {
      cancelled = true;
    };
  }, [calls, navigate, token]);

  return (
    <main className="auth">
      <div className="card auth-card">
        {error ? (
          <>
            <h1>Invitation</h1>
            <p className="error" role="alert">
              {error}
            </p>
            <Link to="/">Go to your documents</Link>
          </>
        ) : (
          <p>Accepting the invitation…</p>
        )}
      </div>
    </main>
  );
}
