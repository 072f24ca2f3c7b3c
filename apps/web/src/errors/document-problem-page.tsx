import { Link, useLocation } from 'react-router-dom';
import { DOCUMENT_PROBLEM_TEXT, type DocumentProblem } from './messages';

/** What the editor page shows instead of a document it cannot open: a different page for each reason. */
export function DocumentProblemPage({
  problem,
  detail,
  onRetry,
}: {
  problem: DocumentProblem;
  /** Why, in words from the error table (for `failed`). */
  detail?: string | undefined;
  onRetry?: () => void;
}) {
  const location = useLocation();
  const text = DOCUMENT_PROBLEM_TEXT[problem];
  const next = encodeURIComponent(location.pathname);
  return (
    <main className="problem-page" data-problem={problem}>
      <section className="card problem-card" aria-labelledby="problem-title">
        <h1 id="problem-title">{text.title}</h1>
        <p>{detail ?? text.body}</p>
        <div className="problem-actions">
          {problem === 'signed-out' ? (
            <Link className="button primary" to={`/sign-in?next=${next}&expired=1`}>
              Sign in again
            </Link>
          ) : (
            <Link className="button primary" to="/">
              Back to your documents
            </Link>
          )}
          {(problem === 'unreachable' || problem === 'failed') && onRetry && (
            <button type="button" onClick={onRetry}>
              Try again
            </button>
          )}
        </div>
      </section>
    </main>
  );
}
