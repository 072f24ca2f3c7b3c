import type { EditRefusal } from '@collab/client';
import { type ErrorCode, type PasswordProblem, PASSWORD_POLICY } from '@collab/contracts';
import { closedForGood } from './session-closed';

/**
 * The one table of what a person is told for each error code. The server's
 * own message is written for developers ("Invalid payload: docId: Invalid
 * UUID") and is never shown; the mapped type makes a missing code a compile
 * error, so a new code in contracts cannot reach the screen untranslated.
 */
export const ERROR_TEXT: { readonly [K in ErrorCode]: string } = {
  INVALID_OP: 'That change could not be applied to the document.',
  INVALID_ATTRIBUTES: 'That formatting is not supported here.',
  OP_OUT_OF_RANGE: 'That change no longer fits the document (someone else changed it first).',
  INVALID_TEXT: 'That text contains characters the document cannot hold.',
  MISSING_FINAL_NEWLINE: 'That change would have broken the end of the document.',
  OP_TOO_LARGE: 'That change is too large to save at once. Try pasting less at a time.',
  DOC_TOO_LARGE: 'The document has reached its size limit. Remove something before adding more.',
  VERSION_AHEAD: 'The server has an older copy of this document than this device.',
  VERSION_TOO_OLD: 'This copy is too far behind the server. Reload the page.',
  BAD_REQUEST: 'Something in that request was not right. Check it and try again.',
  SPAN_TOO_LARGE:
    'Those versions are too far apart to show the changes between them. Pick two closer versions, or open each one.',
  UNAUTHENTICATED: 'Your session expired. Sign in again to continue.',
  TOKEN_EXPIRED: 'Your session expired. Sign in again to continue.',
  FORBIDDEN: 'You don’t have permission to do that.',
  NOT_FOUND: 'That could not be found. It may have been deleted, or the link may be wrong.',
  CONFLICT: 'That conflicts with a change made meanwhile. Reload and try again.',
  EMAIL_TAKEN: 'An account with this email already exists. Sign in instead.',
  WEAK_PASSWORD: 'Choose a stronger password.',
  INVALID_CREDENTIALS: 'Wrong email or password.',
  INVITATION_INVALID:
    'This invitation is not valid any more: it was used, revoked, or is for another account.',
  INVITATION_EXPIRED: 'This invitation has expired. Ask for a new one.',
  CANNOT_REMOVE_OWNER: 'The owner of a document cannot be removed or given another role.',
  NOT_OWNER: 'The server is busy moving this document. Your edits are kept and will be sent.',
  SEQ_REUSED: 'An edit was sent twice with different content. Reload the page.',
  OP_CHANGES_NOTHING: 'That edit changed nothing, so there was nothing to save.',
  RATE_LIMITED: 'Too many attempts. Wait a moment and try again.',
  MESSAGE_TOO_LARGE: 'That is too large to send at once.',
  TOO_MANY_SOCKETS: 'This document is open in too many tabs. Close some and reload.',
  DOCUMENT_DELETED: 'This document was deleted.',
  ORIGIN_NOT_ALLOWED:
    'This address of the app may not connect to the server. Open the app from its usual address, or ask whoever runs it to add this one to ALLOWED_ORIGINS.',
  PROTOCOL_MISMATCH: 'This app is out of date. Reload the page.',
  UNKNOWN_EVENT: 'This app is out of date. Reload the page.',
  NOT_JOINED: 'Reconnecting to the document…',
  ANCHOR_OUT_OF_RANGE: 'The text you commented on is no longer there. Select it again.',
  THREAD_NOT_FOUND: 'This discussion no longer exists.',
  COMMENT_NOT_FOUND: 'This comment no longer exists.',
  NOT_COMMENT_AUTHOR: 'Only its author can change or delete a comment.',
  MENTION_NOT_MEMBER: 'You can mention only people who have access to this document.',
  COMMENT_EMPTY: 'Write something first.',
  COMMENT_TOO_LONG: 'This comment is too long (at most 10,000 characters).',
  COMMENT_ID_TAKEN: 'This comment could not be saved. Try again.',
  TIMEOUT: 'The server took too long to answer. Try again.',
  UNAVAILABLE: 'Can’t reach the server. Check your connection and try again.',
  INTERNAL: 'Something went wrong on our side. Try again.',
};

/** Why a password is not accepted yet, in the words of the sign-up form (same rule as the server). */
export const PASSWORD_PROBLEM_TEXT: { readonly [K in PasswordProblem]: string } = {
  too_short: `Use at least ${PASSWORD_POLICY.minLength} characters.`,
  too_long: `Use at most ${PASSWORD_POLICY.maxLength} characters.`,
  needs_letter: 'Include a letter.',
  needs_digit_or_symbol: 'Include a digit, a space or a symbol.',
  contains_personal_info: 'Don’t use your name or email in it.',
  too_common: 'That is one of the most common passwords.',
};

/** The shape every failure in this app takes (ApiError and the SDK's WireError both fit). */
interface CodedError {
  readonly code: ErrorCode;
  readonly details?: Record<string, unknown>;
}

const isCoded = (value: unknown): value is CodedError =>
  typeof value === 'object' &&
  value !== null &&
  typeof (value as { code?: unknown }).code === 'string' &&
  (value as { code: string }).code in ERROR_TEXT;

/** A problem with what the person typed, found in the browser: its message is written for them. */
export class InputProblem extends Error {
  override name = 'InputProblem';
}

/** A message for a person, for any thrown value (never the server's developer text). */
export function describeError(error: unknown): string {
  if (error instanceof InputProblem) return error.message;
  if (!isCoded(error)) return ERROR_TEXT.INTERNAL;
  const details = error.details ?? {};
  if (error.code === 'WEAK_PASSWORD' && Array.isArray(details['problems'])) {
    const problems = (details['problems'] as unknown[])
      .filter((p): p is PasswordProblem => typeof p === 'string' && p in PASSWORD_PROBLEM_TEXT)
      .map((p) => PASSWORD_PROBLEM_TEXT[p]);
    if (problems.length > 0) return `${ERROR_TEXT.WEAK_PASSWORD} ${problems.join(' ')}`;
  }
  // Signed out (here, in another tab, or on another device): nothing expired.
  if (closedForGood(error) === 'sign_in') return 'You were signed out. Sign in again to continue.';
  if (error.code === 'RATE_LIMITED' && typeof details['retryAfterSeconds'] === 'number') {
    return `Too many attempts. Try again in ${waitText(details['retryAfterSeconds'])}.`;
  }
  return ERROR_TEXT[error.code];
}

function waitText(seconds: number): string {
  if (seconds < 60) return `${Math.max(1, Math.ceil(seconds))} seconds`;
  const minutes = Math.ceil(seconds / 60);
  return `${minutes} minute${minutes === 1 ? '' : 's'}`;
}

/** What a person is told when an edit of theirs was refused for good; null when there is nothing to tell. */
export function refusalMessage(refusal: Pick<EditRefusal, 'error' | 'reloaded'>): string | null {
  // Formatting already there, or text someone else deleted first: nothing the person wanted is lost.
  if (refusal.error.code === 'OP_CHANGES_NOTHING') return null;
  if (refusal.reloaded)
    return (
      'The server has an older copy of this document than this device had (it was restored). ' +
      'The document was reloaded from the server; your unsaved edits could not be kept.'
    );
  return `Your last edit could not be saved and was undone: ${ERROR_TEXT[refusal.error.code]} Later edits are kept.`;
}

/** The pages an open document can end on instead of the editor. */
export const DocumentProblem = {
  notFound: 'not-found',
  noAccess: 'no-access',
  deleted: 'deleted',
  signedOut: 'signed-out',
  unreachable: 'unreachable',
  /** Refused for another reason (the page says which). */
  failed: 'failed',
} as const;
export type DocumentProblem = (typeof DocumentProblem)[keyof typeof DocumentProblem];

/**
 * Which error page a failure to open (or keep) a document shows; null when
 * the failure does not stop the editor (it is shown as a notice instead).
 * A malformed id is a link that leads nowhere: "not found", like a missing one.
 */
export function documentProblemOf(code: ErrorCode): DocumentProblem | null {
  switch (code) {
    case 'NOT_FOUND':
    case 'BAD_REQUEST':
      return DocumentProblem.notFound;
    case 'FORBIDDEN':
      return DocumentProblem.noAccess;
    case 'DOCUMENT_DELETED':
      return DocumentProblem.deleted;
    case 'UNAUTHENTICATED':
    case 'TOKEN_EXPIRED':
      return DocumentProblem.signedOut;
    case 'UNAVAILABLE':
    case 'TIMEOUT':
      return DocumentProblem.unreachable;
    default:
      return null;
  }
}

/** The heading and the explanation of each error page. */
export const DOCUMENT_PROBLEM_TEXT: {
  readonly [K in DocumentProblem]: { readonly title: string; readonly body: string };
} = {
  'not-found': {
    title: 'Document not found',
    body: 'There is no document at this address. The link may be mistyped, or the document may have been deleted.',
  },
  'no-access': {
    title: 'You don’t have access',
    body: 'This document has not been shared with you, or you were removed from it. Ask its owner to invite you.',
  },
  deleted: {
    title: 'This document was deleted',
    body: 'Its owner deleted it. It is gone for everyone.',
  },
  'signed-out': {
    title: 'Your session expired',
    body: 'Sign in again to keep working. Edits made on this device are kept and sent after you sign in.',
  },
  unreachable: {
    title: 'Can’t reach the server',
    body: 'Check your connection. The page tries again by itself; you can also try now.',
  },
  failed: {
    title: 'This document can’t be opened',
    body: 'The server refused to open it.',
  },
};
