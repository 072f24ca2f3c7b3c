import { type FormEvent, useState } from 'react';
import { Link, Navigate, useSearchParams } from 'react-router-dom';
import { describeError } from '../errors/messages';
import { useServices, useSession } from '../app-context';
import { PasswordFeedback } from './password-feedback';

/** Only same-site paths are followed after sign-in (no open redirect). */
function safeNext(next: string | null): string {
  return next && next.startsWith('/') && !next.startsWith('//') ? next : '/';
}

export function AuthPage({ mode }: { mode: 'sign-in' | 'sign-up' }) {
  const { calls } = useServices();
  const session = useSession();
  const [params] = useSearchParams();
  const next = safeNext(params.get('next'));
  const expired = params.get('expired') === '1';
  const [name, setName] = useState('');
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  if (session) return <Navigate to={next} replace />;

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      if (mode === 'sign-up') await calls.signUp(name, email, password);
      else await calls.signIn(email, password);
    } catch (e) {
      setError(describeError(e));
    } finally {
      setBusy(false);
    }
  };

  const signUp = mode === 'sign-up';
  const other = `${signUp ? '/sign-in' : '/sign-up'}${next === '/' ? '' : `?next=${encodeURIComponent(next)}`}`;
  return (
    <main className="auth">
      <form className="card auth-card" onSubmit={(e) => void submit(e)}>
        <h1>{signUp ? 'Create your account' : 'Sign in'}</h1>
        {expired && !signUp && (
          <p className="notice-line" role="status">
            Your session expired. Sign in again to continue.
          </p>
        )}
        {signUp && (
          <label>
            Name
            <input name="name" value={name} onChange={(e) => setName(e.target.value)} required autoFocus />
          </label>
        )}
        <label>
          Email
          <input
            name="email"
            type="email"
            autoComplete="email"
            value={email}
            onChange={(e) => setEmail(e.target.value)}
            required
            autoFocus={!signUp}
          />
        </label>
        <label>
          Password
          <input
            name="password"
            type="password"
            autoComplete={signUp ? 'new-password' : 'current-password'}
            value={password}
            onChange={(e) => setPassword(e.target.value)}
            required
            {...(signUp && { 'aria-describedby': 'password-help' })}
          />
        </label>
        {signUp && <PasswordFeedback password={password} email={email} name={name} />}
        {error && (
          <p className="error" role="alert">
            {error}
          </p>
        )}
        <button className="primary" type="submit" disabled={busy}>
          {busy ? 'Please wait…' : signUp ? 'Create account' : 'Sign in'}
        </button>
        <p className="switch">
          {signUp ? 'Already have an account? ' : 'New here? '}
          <Link to={other}>{signUp ? 'Sign in' : 'Create an account'}</Link>
        </p>
      </form>
    </main>
  );
}
