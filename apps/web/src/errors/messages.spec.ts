import { sessionClosedError } from '@collab/client';
import { ERROR_MESSAGES, ErrorCode, SessionCloseReason } from '@collab/contracts';
import { ApiError } from '../api/api-error';
import {
  DOCUMENT_PROBLEM_TEXT,
  describeError,
  documentProblemOf,
  ERROR_TEXT,
  InputProblem,
  refusalMessage,
} from './messages';

describe('the error table', () => {
  it('has a message for every code, written for people (a sentence, no code or payload jargon)', () => {
    expect(Object.keys(ERROR_TEXT).sort()).toEqual(Object.values(ErrorCode).sort());
    for (const [code, text] of Object.entries(ERROR_TEXT)) {
      expect(text).toMatch(/^[A-Z].*[.…]$/);
      expect(text).not.toContain(code);
      expect(text).not.toMatch(/payload|uuid|schema|socket|seq\b/i);
    }
  });

  it('never shows the server’s developer message', () => {
    const error = new ApiError('BAD_REQUEST', 'Invalid payload: docId: Invalid UUID', 400);
    expect(describeError(error)).toBe(ERROR_TEXT.BAD_REQUEST);
    expect(
      describeError(new ApiError('BAD_REQUEST', 'Invalid payload: email: Invalid email address')),
    ).not.toMatch(/Invalid payload/);
    expect(describeError({ code: 'NOT_JOINED', message: ERROR_MESSAGES.NOT_JOINED })).toBe(
      ERROR_TEXT.NOT_JOINED,
    );
  });

  it('anything that is not a coded error is "something went wrong"; a typing problem says itself', () => {
    expect(describeError(new Error('TypeError: x is undefined'))).toBe(ERROR_TEXT.INTERNAL);
    expect(describeError('boom')).toBe(ERROR_TEXT.INTERNAL);
    expect(describeError({ code: 'NOT_A_CODE' })).toBe(ERROR_TEXT.INTERNAL);
    expect(describeError(new InputProblem('A link must start with https://'))).toBe(
      'A link must start with https://',
    );
  });

  it('says which rule a weak password breaks, and how long to wait when rate limited', () => {
    const weak = new ApiError('WEAK_PASSWORD', 'x', 400, {
      problems: ['too_short', 'needs_letter', 'bogus'],
    });
    expect(describeError(weak)).toBe(
      'Choose a stronger password. Use at least 10 characters. Include a letter.',
    );
    expect(describeError(new ApiError('RATE_LIMITED', 'x', 429, { retryAfterSeconds: 42 }))).toBe(
      'Too many attempts. Try again in 42 seconds.',
    );
    expect(describeError(new ApiError('RATE_LIMITED', 'x', 429, { retryAfterSeconds: 900 }))).toBe(
      'Too many attempts. Try again in 15 minutes.',
    );
    expect(describeError(new ApiError('RATE_LIMITED'))).toBe(ERROR_TEXT.RATE_LIMITED);
  });

  it('says "signed out" for a session closed by a sign-out, "expired" for any other refusal of the token', () => {
    const signedOut = sessionClosedError({ reason: SessionCloseReason.SignedOut, message: 'raw' });
    expect(describeError(signedOut)).toBe('You were signed out. Sign in again to continue.');
    expect(describeError({ code: 'UNAUTHENTICATED' })).toBe(ERROR_TEXT.UNAUTHENTICATED);
  });

  it('routes a refused edit through the same table', () => {
    const refused = refusalMessage({ error: { code: 'DOC_TOO_LARGE', message: 'raw' }, reloaded: false });
    expect(refused).toContain(ERROR_TEXT.DOC_TOO_LARGE);
    expect(refused).not.toContain('raw');
    expect(refusalMessage({ error: { code: 'VERSION_AHEAD', message: 'raw' }, reloaded: true })).toMatch(
      /reloaded from the server/,
    );
    // An edit that changed nothing by the time it arrived lost nothing: no notice.
    expect(
      refusalMessage({ error: { code: 'OP_CHANGES_NOTHING', message: 'raw' }, reloaded: false }),
    ).toBeNull();
  });

  it('maps each way a document cannot open to its own page', () => {
    expect(documentProblemOf('NOT_FOUND')).toBe('not-found');
    expect(documentProblemOf('BAD_REQUEST')).toBe('not-found'); // a malformed id
    expect(documentProblemOf('FORBIDDEN')).toBe('no-access');
    expect(documentProblemOf('DOCUMENT_DELETED')).toBe('deleted');
    expect(documentProblemOf('UNAUTHENTICATED')).toBe('signed-out');
    expect(documentProblemOf('TOKEN_EXPIRED')).toBe('signed-out');
    expect(documentProblemOf('UNAVAILABLE')).toBe('unreachable');
    expect(documentProblemOf('OP_TOO_LARGE')).toBeNull();
    expect(DOCUMENT_PROBLEM_TEXT['signed-out'].title).toMatch(/session expired/i);
    const titles = Object.values(DOCUMENT_PROBLEM_TEXT).map((t) => t.title);
    expect(new Set(titles).size).toBe(titles.length);
  });
});
