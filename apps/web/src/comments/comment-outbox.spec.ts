import 'fake-indexeddb/auto';
import { AppError, ErrorCode } from '@collab/contracts';
import { CommentOutbox, failureOutcome, flushPending, type PendingComment } from './comment-outbox';

const thread: PendingComment = {
  kind: 'thread',
  docId: 'd1',
  threadId: 't1',
  commentId: 'c1',
  anchor: { from: 0, to: 2, version: 3 },
  body: 'first',
  mentions: ['u2'],
  savedAt: 1,
};
const reply: PendingComment = {
  kind: 'reply',
  docId: 'd1',
  threadId: 't1',
  commentId: 'c2',
  body: 'second',
  mentions: [],
  savedAt: 2,
};
const other: PendingComment = { ...reply, docId: 'd2', commentId: 'c3', savedAt: 0 };

describe('CommentOutbox', () => {
  let outbox: CommentOutbox;
  beforeEach(async () => {
    outbox = await CommentOutbox.open();
    for (const doc of ['d1', 'd2'])
      for (const e of await outbox.entries(doc)) await outbox.remove(e.commentId);
  });
  afterEach(() => outbox.close());

  it('keeps pending comments per document, oldest first, across a reopen', async () => {
    await outbox.put(reply);
    await outbox.put(other);
    await outbox.put(thread);
    outbox.close();
    outbox = await CommentOutbox.open();
    expect(await outbox.entries('d1')).toEqual([thread, reply]);
    expect(await outbox.entries('d2')).toEqual([other]);
    await outbox.remove('c1');
    expect(await outbox.entries('d1')).toEqual([reply]);
  });

  it('sends each entry with its own ids and removes it once answered', async () => {
    await outbox.put(reply);
    await outbox.put(thread);
    const sentIds: string[] = [];
    const result = await flushPending(
      outbox,
      'd1',
      async (e) => void sentIds.push(`${e.threadId}/${e.commentId}`),
    );
    expect(sentIds).toEqual(['t1/c1', 't1/c2']);
    expect(result).toEqual({ sent: [thread, reply], refused: [], left: 0 });
    expect(await outbox.entries('d1')).toEqual([]);
  });

  it('drops a finally refused entry and reports it, and goes on with the next', async () => {
    await outbox.put(thread);
    await outbox.put(reply);
    const refusal = new AppError(ErrorCode.FORBIDDEN);
    const result = await flushPending(outbox, 'd1', async (e) => {
      if (e.kind === 'thread') throw refusal;
    });
    expect(result).toEqual({ sent: [reply], refused: [{ entry: thread, error: refusal }], left: 0 });
    expect(await outbox.entries('d1')).toEqual([]);
  });

  it('stops at the first entry without a final answer and keeps it and every later one', async () => {
    await outbox.put(thread);
    await outbox.put(reply);
    const send = jest.fn(async () => {
      throw new AppError(ErrorCode.UNAVAILABLE);
    });
    const result = await flushPending(outbox, 'd1', send);
    expect(send).toHaveBeenCalledTimes(1);
    expect(result).toEqual({ sent: [], refused: [], left: 2 });
    expect(await outbox.entries('d1')).toEqual([thread, reply]);
  });
});

describe('failureOutcome', () => {
  it('is final only for a non-retryable coded refusal', () => {
    expect(failureOutcome(new AppError(ErrorCode.FORBIDDEN))).toBe('refused');
    expect(failureOutcome(new AppError(ErrorCode.COMMENT_ID_TAKEN))).toBe('refused');
    expect(failureOutcome(new AppError(ErrorCode.UNAVAILABLE))).toBe('later');
    expect(failureOutcome(new TypeError('Failed to fetch'))).toBe('later');
  });
});
