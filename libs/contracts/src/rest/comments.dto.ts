import { z } from 'zod';
import { DocId, IsoDateTime, pageSizeParam, UserId, Version } from '../common/ids';
import { ErrorCode } from '../errors/error-codes';
import {
  MAX_COMMENT_LENGTH,
  MAX_COMMENT_WIRE_LENGTH,
  MAX_MENTIONS_PER_COMMENT,
  MAX_QUOTED_TEXT_LENGTH,
} from '../limits';
import { Collaborator } from './documents.dto';

/**
 * A comment's or thread's id, made by the client (a UUID), so that a request
 * resent after a lost answer or from an offline outbox is recognised and
 * answered with what the first one made, never stored twice.
 */
export const CommentId = z.uuid();
/** See {@link CommentId}. */
export type CommentId = z.infer<typeof CommentId>;

/** A thread's id, made by the client (see {@link CommentId}). */
export const ThreadId = z.uuid();
/** See {@link ThreadId}. */
export type ThreadId = z.infer<typeof ThreadId>;

/**
 * A comment body as sent: plain text (HTML is never interpreted, it is shown
 * as typed), without control characters other than tab and line breaks
 * (PostgreSQL text cannot hold NUL). Length and emptiness are checked by
 * {@link commentBodyProblem}, so that they get their own codes.
 */
export const CommentBody = z
  .string()
  .max(MAX_COMMENT_WIRE_LENGTH)
  .refine((body) => !hasForbiddenControl(body), 'Control characters are not allowed');

/** C0 controls other than tab, line feed and carriage return, and DEL. */
function hasForbiddenControl(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if ((code < 0x20 && code !== 0x09 && code !== 0x0a && code !== 0x0d) || code === 0x7f) return true;
  }
  return false;
}

/** The people a comment mentions (members of the document), each once. */
export const Mentions = z
  .array(UserId)
  .max(MAX_MENTIONS_PER_COMMENT)
  .refine(
    (ids) => new Set(ids.map((id) => id.toLowerCase())).size === ids.length,
    'Mentions must be distinct',
  );

/**
 * Why `body` (as sent) cannot be a comment, or null. The stored body is the
 * trimmed one: `COMMENT_EMPTY` for nothing but white space,
 * `COMMENT_TOO_LONG` past {@link MAX_COMMENT_LENGTH} code units.
 */
export function commentBodyProblem(
  body: string,
): typeof ErrorCode.COMMENT_EMPTY | typeof ErrorCode.COMMENT_TOO_LONG | null {
  const trimmed = body.trim();
  if (trimmed.length === 0) return ErrorCode.COMMENT_EMPTY;
  if (trimmed.length > MAX_COMMENT_LENGTH) return ErrorCode.COMMENT_TOO_LONG;
  return null;
}

/**
 * A range of the document as a client selected it: `[from, to)` in Delta
 * indexes of the document at `version` (the version the client's editor
 * showed). The server checks it against that version's text and moves it.
 */
export const AnchorRequest = z.strictObject({
  from: z.int().nonnegative(),
  to: z.int().nonnegative(),
  version: Version,
});
/** See {@link AnchorRequest}. */
export type AnchorRequest = z.infer<typeof AnchorRequest>;

/**
 * Where a thread's range is at `version`. `detached`: all of its text was
 * deleted; `from === to` marks where it was. A client at a later version
 * moves it through the committed operations after `version`, in order
 * (`transformAnchorThrough` in @collab/ot), and so sees the server's range.
 */
export const Anchor = z.object({
  from: z.int().nonnegative(),
  to: z.int().nonnegative(),
  version: Version,
  detached: z.boolean(),
});
/** See {@link Anchor}. */
export type Anchor = z.infer<typeof Anchor>;

/** One comment of a thread. A deleted comment is no longer listed. */
export const CommentDto = z.object({
  id: CommentId,
  threadId: ThreadId,
  author: Collaborator,
  body: z.string().max(MAX_COMMENT_LENGTH),
  mentions: z.array(UserId),
  createdAt: IsoDateTime,
  editedAt: IsoDateTime.nullable(),
});
/** See {@link CommentDto}. */
export type CommentDto = z.infer<typeof CommentDto>;

/**
 * A discussion on a range of the document: the text as it was when the
 * first comment was made (cut at {@link MAX_QUOTED_TEXT_LENGTH}), where the
 * range is now, its comments oldest first, and whether it is resolved.
 */
export const CommentThreadDto = z.object({
  id: ThreadId,
  docId: DocId,
  anchor: Anchor,
  quotedText: z.string().max(MAX_QUOTED_TEXT_LENGTH + 1),
  createdBy: Collaborator,
  createdAt: IsoDateTime,
  resolvedAt: IsoDateTime.nullable(),
  resolvedBy: Collaborator.nullable(),
  comments: z.array(CommentDto),
});
/** See {@link CommentThreadDto}. */
export type CommentThreadDto = z.infer<typeof CommentThreadDto>;

/**
 * `GET /api/documents/:docId/comments`: every thread with a comment left,
 * anchors at `version` (the head); with `?limit=N`, only the N first in the
 * text (see {@link CommentListQuery}), and `complete` says whether any was
 * left out.
 */
export const CommentThreadList = z.object({
  version: Version,
  threads: z.array(CommentThreadDto),
  complete: z.boolean(),
});
/** See {@link CommentThreadList}. */
export type CommentThreadList = z.infer<typeof CommentThreadList>;

/** `POST /api/documents/:docId/comments`: a new thread with its first comment. Answers {@link CommentThreadDto}. */
export const CreateThreadRequest = z.strictObject({
  threadId: ThreadId,
  commentId: CommentId,
  anchor: AnchorRequest,
  body: CommentBody,
  mentions: Mentions.default([]),
});
/** See {@link CreateThreadRequest}. */
export type CreateThreadRequest = z.infer<typeof CreateThreadRequest>;

/** `POST /api/documents/:docId/comments/:threadId`: a reply. Answers {@link CommentDto}. */
export const ReplyRequest = z.strictObject({
  commentId: CommentId,
  body: CommentBody,
  mentions: Mentions.default([]),
});
/** See {@link ReplyRequest}. */
export type ReplyRequest = z.infer<typeof ReplyRequest>;

/** `PATCH /api/documents/:docId/comments/:threadId/:commentId`: the author's new text. Answers {@link CommentDto}. */
export const EditCommentRequest = z.strictObject({
  body: CommentBody,
  mentions: Mentions.default([]),
});
/** See {@link EditCommentRequest}. */
export type EditCommentRequest = z.infer<typeof EditCommentRequest>;

/** Most threads a first page of the list may ask for. */
export const MAX_THREAD_PAGE = 500;

/**
 * Query string of the thread list. `?limit=50` answers the 50 threads first
 * in the text: open ones by where their range starts (then ends), then
 * detached ones, then resolved ones, each oldest first. It is what a client
 * shows first on opening a large discussion (the threads beside the top of
 * the page), before it reads the whole list; a page reads only those
 * threads' comments. Omitted: every thread, oldest first.
 */
export const CommentListQuery = z.strictObject({
  limit: pageSizeParam(MAX_THREAD_PAGE).optional(),
});
/** See {@link CommentListQuery}. */
export type CommentListQuery = z.infer<typeof CommentListQuery>;
