import { PASSWORD_POLICY, passwordProblems } from '@collab/contracts';
import { useEffect, useState } from 'react';
import { PASSWORD_PROBLEM_TEXT } from '../errors/messages';

/** The server's rule in one sentence (libs/contracts PASSWORD_POLICY and passwordProblems). */
const PASSWORD_RULE =
  `At least ${PASSWORD_POLICY.minLength} characters, with a letter and a digit, space or symbol, ` +
  'and not your name or email. A passphrase of a few words works well.';

const STRENGTH = ['Very weak', 'Weak', 'Fair', 'Good', 'Strong'] as const;

type Estimate = { score: number };

/** zxcvbn-ts and its dictionaries are large: loaded on the sign-up page only, once. */
let estimator: Promise<(password: string, inputs: string[]) => Estimate> | undefined;
function loadEstimator() {
  estimator ??= Promise.all([import('@zxcvbn-ts/core'), import('@zxcvbn-ts/language-common')]).then(
    ([core, common]) => {
      const zxcvbn = new core.ZxcvbnFactory({
        dictionary: { ...common.dictionary },
        graphs: common.adjacencyGraphs,
      });
      return (password: string, inputs: string[]) => {
        const result = zxcvbn.check(password, inputs);
        return { score: result.score };
      };
    },
  );
  return estimator;
}

/**
 * Feedback as the person types: which parts of the server's rule are not met
 * yet (the same check the server makes), and how guessable the password is.
 */
export function PasswordFeedback({
  password,
  email,
  name,
}: {
  password: string;
  email: string;
  name: string;
}) {
  const [estimate, setEstimate] = useState<Estimate | null>(null);
  useEffect(() => {
    if (password === '') return setEstimate(null);
    let cancelled = false;
    void loadEstimator()
      .then((check) => !cancelled && setEstimate(check(password, [email, name].filter(Boolean))))
      .catch(() => undefined);
    return () => {
      cancelled = true;
    };
  }, [password, email, name]);

  const problems = passwordProblems(password, { email, name });
  return (
    <div className="password-feedback" id="password-help">
      <p className="hint">{PASSWORD_RULE}</p>
      {password !== '' && (
        <div aria-live="polite">
          {problems.length > 0 ? (
            <ul className="password-problems">
              {problems.map((p) => (
                <li key={p}>{PASSWORD_PROBLEM_TEXT[p]}</li>
              ))}
            </ul>
          ) : (
            estimate && (
              <p className="strength" data-score={estimate.score}>
                <meter min={0} max={4} value={estimate.score} aria-label="Password strength" />
                <span>
                  Strength: {STRENGTH[estimate.score] ?? ''}
                  {estimate.score < 3 ? '. Easy to guess: add another word or two.' : ''}
                </span>
              </p>
            )
          )}
        </div>
      )}
    </div>
  );
}
