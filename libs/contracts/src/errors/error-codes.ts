import { OtErrorCode } from '@collab/ot';
import { z } from 'zod';

/**
 * The one closed table of error codes that may cross a process boundary
 * (Socket.IO acks and `error` events, REST error bodies, doc-service
 * replies, job failures). Every libs/ot code is included verbatim, so an
 * `OtResult` failure becomes a wire error without translation.
 *
 * Note the two kinds of "owner": `NOT_OWNER` means *this doc-service
 * instance* does not own the document on the hash ring (the gateway routes
 * again); an action reserved to the *document's* owner answers `FORBIDDEN`.
 */
export const ErrorCode = {
  ...OtErrorCode,
  /** The payload failed schema validation (shape, type, range, unknown key). */
  BAD_REQUEST: 'BAD_REQUEST',
  /**
   * A history diff over more versions than `MAX_DIFF_SPAN` (details
   * `{maxSpan}`): compare the two versions' content instead.
   */
  SPAN_TOO_LARGE: 'SPAN_TOO_LARGE',
  /** No credentials, or credentials that do not verify. */
  UNAUTHENTICATED: 'UNAUTHENTICATED',
  /** The access token has expired: refresh it and retry or reconnect. */
  TOKEN_EXPIRED: 'TOKEN_EXPIRED',
  /** Authenticated, but the role does not allow this action. */
  FORBIDDEN: 'FORBIDDEN',
  /** No such resource, or one the caller may not know exists. */
  NOT_FOUND: 'NOT_FOUND',
  /** The request conflicts with the current state of the resource. */
  CONFLICT: 'CONFLICT',
  /** Sign-up with an email that already has an account. */
  EMAIL_TAKEN: 'EMAIL_TAKEN',
  /** The password does not meet the password policy. */
  WEAK_PASSWORD: 'WEAK_PASSWORD',
  /** Wrong email or password (never says which). */
  INVALID_CREDENTIALS: 'INVALID_CREDENTIALS',
  /** The invitation does not exist, was used, or is not for this account. */
  INVITATION_INVALID: 'INVITATION_INVALID',
  /** The invitation has expired. */
  INVITATION_EXPIRED: 'INVITATION_EXPIRED',
  /** The document's owner cannot be removed or demoted. */
  CANNOT_REMOVE_OWNER: 'CANNOT_REMOVE_OWNER',
  /** This doc-service instance does not own the document: route again. */
  NOT_OWNER: 'NOT_OWNER',
  /** The same (clientId, seq) was already used for a different operation. */
  SEQ_REUSED: 'SEQ_REUSED',
  /**
   * The operation, transformed to the head, changes nothing (`[]`, plain
   * retains, formatting text already so, or an edit concurrent ones made
   * empty): nothing was committed and no version was used. Final, and safe
   * to drop: dropping it loses nothing.
   */
  OP_CHANGES_NOTHING: 'OP_CHANGES_NOTHING',
  /** Too many requests: slow down and retry later. */
  RATE_LIMITED: 'RATE_LIMITED',
  /** The message exceeds the maximum message size. */
  MESSAGE_TOO_LARGE: 'MESSAGE_TOO_LARGE',
  /** The user already has the maximum number of open sockets. */
  TOO_MANY_SOCKETS: 'TOO_MANY_SOCKETS',
  /** The document was deleted (told to its former members; anyone else gets NOT_FOUND). */
  DOCUMENT_DELETED: 'DOCUMENT_DELETED',
  /** The page's origin is not in the gateway's ALLOWED_ORIGINS: no socket opens from it. */
  ORIGIN_NOT_ALLOWED: 'ORIGIN_NOT_ALLOWED',
  /** The client speaks another protocol version: reload the app. */
  PROTOCOL_MISMATCH: 'PROTOCOL_MISMATCH',
  /** The event name is not part of the protocol. */
  UNKNOWN_EVENT: 'UNKNOWN_EVENT',
  /** The socket has not joined the document it refers to. */
  NOT_JOINED: 'NOT_JOINED',
  /** A comment's range is empty, negative, or runs past the end of the document at its version. */
  ANCHOR_OUT_OF_RANGE: 'ANCHOR_OUT_OF_RANGE',
  /** No such comment thread on this document. */
  THREAD_NOT_FOUND: 'THREAD_NOT_FOUND',
  /** No such comment in this thread (or it was deleted). */
  COMMENT_NOT_FOUND: 'COMMENT_NOT_FOUND',
  /** Only a comment's author may edit or delete it. */
  NOT_COMMENT_AUTHOR: 'NOT_COMMENT_AUTHOR',
  /** A comment mentions someone who is not a member of the document. */
  MENTION_NOT_MEMBER: 'MENTION_NOT_MEMBER',
  /** A comment's body is empty (or only white space). */
  COMMENT_EMPTY: 'COMMENT_EMPTY',
  /** A comment's body is longer than `MAX_COMMENT_LENGTH`. */
  COMMENT_TOO_LONG: 'COMMENT_TOO_LONG',
  /** A client-made id is already used by another comment or thread (a resend of the same one is answered, not refused). */
  COMMENT_ID_TAKEN: 'COMMENT_ID_TAKEN',
  /** No answer in time; the outcome is unknown (resending is safe). */
  TIMEOUT: 'TIMEOUT',
  /** A dependency (database, Redis, the document's owner) is unavailable. */
  UNAVAILABLE: 'UNAVAILABLE',
  /** An unexpected server error. Details are logged, never sent. */
  INTERNAL: 'INTERNAL',
} as const;

/** One of the codes in {@link ErrorCode}. */
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

// Compile-time proof that libs/ot cannot produce a code the wire lacks: this
// line stops compiling if an OtErrorCode is missing from the table.
type Assert<T extends true> = T;
type _OtErrorCodesAreErrorCodes = Assert<[OtErrorCode] extends [ErrorCode] ? true : false>;

/** Runtime schema of an error code: exactly the closed table. */
export const ErrorCodeSchema = z.enum(ErrorCode);

/**
 * Short default message per code, safe to show to a user. The mapped type
 * makes a missing entry a compile error.
 */
export const ERROR_MESSAGES: { readonly [K in ErrorCode]: string } = {
  INVALID_OP: 'The operation is malformed.',
  INVALID_ATTRIBUTES: 'The operation uses a format that is not allowed.',
  OP_OUT_OF_RANGE: 'The operation reaches past the end of the document.',
  INVALID_TEXT: 'The operation contains invalid text.',
  MISSING_FINAL_NEWLINE: 'The document must end with a newline.',
  OP_TOO_LARGE: 'The operation is too large.',
  DOC_TOO_LARGE: 'The document would become too large.',
  VERSION_AHEAD: 'The operation is based on a version the server has not reached.',
  VERSION_TOO_OLD: 'The operation is based on a version too old to transform; reload the document.',
  BAD_REQUEST: 'The request is invalid.',
  SPAN_TOO_LARGE: 'A diff spans too many versions; compare the two versions instead.',
  UNAUTHENTICATED: 'Sign in to continue.',
  TOKEN_EXPIRED: 'Your session has expired.',
  FORBIDDEN: 'You do not have permission to do this.',
  NOT_FOUND: 'Not found.',
  CONFLICT: 'The request conflicts with the current state.',
  EMAIL_TAKEN: 'An account with this email already exists.',
  WEAK_PASSWORD: 'The password is too weak.',
  INVALID_CREDENTIALS: 'Wrong email or password.',
  INVITATION_INVALID: 'This invitation is not valid.',
  INVITATION_EXPIRED: 'This invitation has expired.',
  CANNOT_REMOVE_OWNER: 'The owner of a document cannot be removed.',
  NOT_OWNER: 'This server does not own the document.',
  SEQ_REUSED: 'This operation sequence number was already used for a different operation.',
  OP_CHANGES_NOTHING: 'The edit changes nothing, so there was nothing to save.',
  RATE_LIMITED: 'Too many requests; slow down.',
  MESSAGE_TOO_LARGE: 'The message is too large.',
  TOO_MANY_SOCKETS: 'Too many open connections.',
  ORIGIN_NOT_ALLOWED: 'This page’s address is not allowed to connect to the server.',
  DOCUMENT_DELETED: 'This document was deleted.',
  PROTOCOL_MISMATCH: 'This app is out of date; reload the page.',
  UNKNOWN_EVENT: 'Unknown event.',
  NOT_JOINED: 'Join the document first.',
  ANCHOR_OUT_OF_RANGE: 'The commented range is not in the document.',
  THREAD_NOT_FOUND: 'This comment thread does not exist.',
  COMMENT_NOT_FOUND: 'This comment does not exist.',
  NOT_COMMENT_AUTHOR: 'Only its author can change or delete a comment.',
  MENTION_NOT_MEMBER: 'You can mention only people who have access to the document.',
  COMMENT_EMPTY: 'A comment cannot be empty.',
  COMMENT_TOO_LONG: 'The comment is too long.',
  COMMENT_ID_TAKEN: 'This comment id is already in use.',
  TIMEOUT: 'The request timed out.',
  UNAVAILABLE: 'The service is temporarily unavailable.',
  INTERNAL: 'Something went wrong on our side.',
};

/**
 * Codes after which the *same* request may be sent again unchanged (the
 * operation dedupe makes a resent `(clientId, seq)` safe). Any other code
 * is final for that request.
 */
export const RETRYABLE_ERROR_CODES: ReadonlySet<ErrorCode> = new Set<ErrorCode>([
  ErrorCode.NOT_OWNER,
  ErrorCode.TIMEOUT,
  ErrorCode.UNAVAILABLE,
  ErrorCode.RATE_LIMITED,
]);

/** Whether a request refused with `code` may be resent unchanged. */
export function isRetryableErrorCode(code: ErrorCode): boolean {
  return RETRYABLE_ERROR_CODES.has(code);
}
