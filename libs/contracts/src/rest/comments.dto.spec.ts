import { DOC_ID, USER_ID, expectAccepted, expectRejected } from '../../test/expect-parse';
import { ErrorCode } from '../errors/error-codes';
import { MAX_COMMENT_LENGTH, MAX_COMMENT_WIRE_LENGTH, MAX_MENTIONS_PER_COMMENT } from '../limits';
import { canComment, canEdit, InvitableRoleSchema, ROLE_RANK, Role } from '../common/roles';
import {
  CommentListQuery,
  CommentThreadDto,
  CreateThreadRequest,
  EditCommentRequest,
  ReplyRequest,
  commentBodyProblem,
} from './comments.dto';
import { MarkNotificationsRead, NotificationListQuery } from './notifications.dto';

const THREAD_ID = '0b1c2d3e-4f50-4a6b-9c7d-8e9f0a1b2c3d';
const COMMENT_ID = '1c2d3e4f-5061-4b7c-8d9e-0f1a2b3c4d5e';
const OTHER_USER = 'a1b2c3d4-e5f6-4a7b-8c9d-0e1f2a3b4c5d';
const create = {
  threadId: THREAD_ID,
  commentId: COMMENT_ID,
  anchor: { from: 2, to: 5, version: 7 },
  body: 'Is this <b>right</b>?',
};

describe('comment DTOs', () => {
  it('a new thread names its client-made ids, its range at a version and a body; mentions default to none', () => {
    expect(expectAccepted(CreateThreadRequest, create)).toEqual({ ...create, mentions: [] });
    expectRejected(CreateThreadRequest, { ...create, threadId: 'nope' }, { path: 'threadId' });
    expectRejected(
      CreateThreadRequest,
      { ...create, anchor: { from: -1, to: 2, version: 0 } },
      { path: 'anchor.from' },
    );
    expectRejected(CreateThreadRequest, {
      ...create,
      anchor: { from: 1, to: 2, version: 0, detached: true },
    });
    expectRejected(CreateThreadRequest, { ...create, extra: 1 });
  });

  it('bodies: control characters and NUL are refused by the schema; tabs and line breaks pass', () => {
    expectAccepted(ReplyRequest, { commentId: COMMENT_ID, body: 'line one\n\tline two\r\n' });
    expectRejected(ReplyRequest, { commentId: COMMENT_ID, body: 'a\u0000b' }, { path: 'body' });
    expectRejected(ReplyRequest, { commentId: COMMENT_ID, body: 'a\u0007b' }, { path: 'body' });
    expectRejected(EditCommentRequest, { body: 'x'.repeat(MAX_COMMENT_WIRE_LENGTH + 1) }, { path: 'body' });
  });

  it('empty and too long bodies get their own codes, after trimming', () => {
    expect(commentBodyProblem('')).toBe(ErrorCode.COMMENT_EMPTY);
    expect(commentBodyProblem(' \n\t ')).toBe(ErrorCode.COMMENT_EMPTY);
    expect(commentBodyProblem('x'.repeat(MAX_COMMENT_LENGTH))).toBeNull();
    expect(commentBodyProblem(`  ${'x'.repeat(MAX_COMMENT_LENGTH)}  `)).toBeNull();
    expect(commentBodyProblem('x'.repeat(MAX_COMMENT_LENGTH + 1))).toBe(ErrorCode.COMMENT_TOO_LONG);
    expect(commentBodyProblem('x'.repeat(100_000))).toBe(ErrorCode.COMMENT_TOO_LONG);
  });

  it('mentions are distinct user ids, at most a bounded number', () => {
    expectAccepted(ReplyRequest, { commentId: COMMENT_ID, body: 'hi', mentions: [USER_ID, OTHER_USER] });
    expectRejected(ReplyRequest, {
      commentId: COMMENT_ID,
      body: 'hi',
      mentions: [USER_ID, USER_ID.toUpperCase()],
    });
    expectRejected(ReplyRequest, { commentId: COMMENT_ID, body: 'hi', mentions: ['bob'] });
    const many = Array.from(
      { length: MAX_MENTIONS_PER_COMMENT + 1 },
      (_, i) => `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
    );
    expectRejected(ReplyRequest, { commentId: COMMENT_ID, body: 'hi', mentions: many });
  });

  it('a thread carries its anchor, quoted text and comments', () => {
    const person = { userId: USER_ID, name: 'Ada', color: '#336699' };
    expectAccepted(CommentThreadDto, {
      id: THREAD_ID,
      docId: DOC_ID,
      anchor: { from: 0, to: 0, version: 12, detached: true },
      quotedText: 'gone',
      createdBy: person,
      createdAt: '2026-01-01T00:00:00.000Z',
      resolvedAt: null,
      resolvedBy: null,
      comments: [
        {
          id: COMMENT_ID,
          threadId: THREAD_ID,
          author: person,
          body: 'hi',
          mentions: [],
          createdAt: '2026-01-01T00:00:00.000Z',
          editedAt: null,
        },
      ],
    });
  });

  it('notifications: mark some or all read; page sizes are bounded', () => {
    expectAccepted(MarkNotificationsRead, { ids: [THREAD_ID] });
    expectAccepted(MarkNotificationsRead, { all: true });
    expectRejected(MarkNotificationsRead, { all: false });
    expectRejected(MarkNotificationsRead, { ids: [] });
    expect(expectAccepted(NotificationListQuery, { limit: '20', unread: 'true' })).toEqual({
      limit: 20,
      unread: 'true',
    });
    expectRejected(NotificationListQuery, { limit: '0' });
    expectRejected(NotificationListQuery, { limit: '201' });
  });

  it('a first page of threads: 1 to 500 of them, nothing else in the query', () => {
    expect(expectAccepted(CommentListQuery, { limit: '50' })).toEqual({ limit: 50 });
    expect(expectAccepted(CommentListQuery, {})).toEqual({});
    for (const limit of ['0', '501', '-1', '1e2', 'ten', ' 5']) expectRejected(CommentListQuery, { limit });
    expectRejected(CommentListQuery, { limit: '5', unread: 'true' });
  });
});

describe('the commenter role', () => {
  it('comments but does not edit; viewers do neither; invitations may grant it', () => {
    expect(canComment(Role.Commenter)).toBe(true);
    expect(canEdit(Role.Commenter)).toBe(false);
    expect(canComment(Role.Viewer)).toBe(false);
    expect(canComment(Role.Editor) && canComment(Role.Owner)).toBe(true);
    expectAccepted(InvitableRoleSchema, 'commenter');
    expect(ROLE_RANK.viewer < ROLE_RANK.commenter && ROLE_RANK.commenter < ROLE_RANK.editor).toBe(true);
  });
});
