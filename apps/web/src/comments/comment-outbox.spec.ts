import 'fake-indexeddb/auto';
import { AppError, ErrorCode } from '@collab/contracts';
import { openDB } from 'idb';
import { CommentOutbox, failureOutcome, flushPending } from './comment-outbox';
import type { PendingChange, StoredChange } from './pending-changes';

const thread: PendingChange = {
  kind: 'thread',
  docId: 'd1',
  threadId: 't1',
  commentId: 'c1',
  anchor: { from: 0, to: 2, version: 3 },
  body: 'first',
  mentions: ['u2'],
  savedAt: 1,
};
const reply: PendingChange = {
  kind: 'reply',
  docId: 'd1',
  threadId: 't1',
  commentId: 'c2',
  body: 'second',
  mentions: [],
  savedAt: 2,
};
const other: PendingChange = { ...reply, docId: 'd2', commentId: 'c3', savedAt: 0 };
const edit = (commentId: string, body: string): PendingChange => ({
  kind: 'edit',
  docId: 'd1',
  threadId: 't1',
  commentId,
  body,
  mentions: [],
  savedAt: 3,
});
const del = (commentId: string): PendingChange => ({
  kind: 'delete',
  docId: 'd1',
  threadId: 't1',
  commentId,
  savedAt: 4,
});
const resolve: PendingChange = { kind: 'resolve', docId: 'd1', threadId: 't1', savedAt: 5 };
const reopen: PendingChange = { ...resolve, kind: 'reopen' };

/** The changes kept for d1, without their `seq`. */
const kept = async (outbox: CommentOutbox, docId = 'd1') =>
  (await outbox.entries(docId)).map(({ seq: _seq, ...change }) => change);

async function clear(): Promise<void> {
  await new Promise<void>((resolve, reject) => {
    const request = indexedDB.deleteDatabase('collab-comment-outbox');
    request.onsuccess = () => resolve();
    request.onerror = () => reject(request.error as Error);
  });
}

describe('CommentOutbox', () => {
  let outbox: CommentOutbox;
  beforeEach(async () => {
    await clear();
    outbox = await CommentOutbox.open();
  });
  afterEach(() => outbox.close());

  it('keeps the changes per document, in the order they were made, across a reopen', async () => {
    await outbox.record(reply);
    await outbox.record(other);
    await outbox.record(thread);
    outbox.close();
    outbox = await CommentOutbox.open();
    expect(await kept(outbox)).toEqual([reply, thread]);
    expect(await kept(outbox, 'd2')).toEqual([other]);
  });

  it('keeps a reply, its edit and its deletion in order when the reply was already sent', async () => {
    await outbox.record(edit('c9', 'better'));
    await outbox.record(del('c9'));
    await outbox.record(resolve);
    // The edit of a comment that is then deleted goes: the deletion is what the server must see.
    expect(await kept(outbox)).toEqual([del('c9'), resolve]);
  });

  it('lets the last of two edits win', async () => {
    await outbox.record(edit('c9', 'one'));
    await outbox.record(resolve);
    await outbox.record(edit('c9', 'two'));
    expect(await kept(outbox)).toEqual([resolve, edit('c9', 'two')]);
  });

  it('folds an edit into the pending creation of its comment, which keeps its place', async () => {
    await outbox.record(thread);
    await outbox.record(reply);
    expect(await outbox.record(edit('c1', 'first, edited'))).toBe((await outbox.entries('d1'))[0]!.seq);
    await outbox.record(edit('c2', 'second, edited'));
    expect(await kept(outbox)).toEqual([
      { ...thread, body: 'first, edited', mentions: [] },
      { ...reply, body: 'second, edited' },
    ]);
  });

  it('sends neither a reply created offline nor its deletion, nor the edits between', async () => {
    await outbox.record(reply);
    await outbox.record(edit('c2', 'changed'));
    expect(await outbox.record(del('c2'))).toBeNull();
    expect(await kept(outbox)).toEqual([]);
  });

  it('drops a thread created offline with everything done to it once its only comment is deleted', async () => {
    await outbox.record(thread);
    await outbox.record(resolve);
    await outbox.record(del('c1'));
    expect(await kept(outbox)).toEqual([]);
  });

  it('keeps a thread created offline when a pending reply keeps it alive after its first comment goes', async () => {
    await outbox.record(thread);
    await outbox.record(reply);
    await outbox.record(del('c1'));
    expect(await kept(outbox)).toEqual([thread, reply, del('c1')]);
  });

  it('keeps only the last of resolve and reopen, after the creation of the thread', async () => {
    await outbox.record(thread);
    await outbox.record(resolve);
    await outbox.record(reopen);
    await outbox.record(resolve);
    expect(await kept(outbox)).toEqual([thread, resolve]);
  });

  it('carries the creations kept by version 1 of the outbox over, oldest first', async () => {
    outbox.close();
    await clear();
    const v1 = await openDB('collab-comment-outbox', 1, {
      upgrade(db) {
        db.createObjectStore('comments', { keyPath: 'commentId' }).createIndex('byDoc', 'docId');
      },
    });
    await v1.put('comments', reply);
    await v1.put('comments', thread);
    v1.close();
    outbox = await CommentOutbox.open();
    expect(await kept(outbox)).toEqual([thread, reply]);
    await outbox.record(edit('c2', 'after the upgrade'));
    expect(await kept(outbox)).toEqual([thread, { ...reply, body: 'after the upgrade' }]);
  });
});

describe('flushPending', () => {
  let outbox: CommentOutbox;
  beforeEach(async () => {
    await clear();
    outbox = await CommentOutbox.open();
  });
  afterEach(() => outbox.close());

  const describeEntry = (e: StoredChange) => `${e.kind} ${'commentId' in e ? e.commentId : e.threadId}`;

  it('sends each change in order with its own ids and removes it once answered', async () => {
    await outbox.record(thread);
    await outbox.record(edit('c9', 'x'));
    await outbox.record(resolve);
    const order: string[] = [];
    const result = await flushPending(outbox, 'd1', async (e) => void order.push(describeEntry(e)));
    expect(order).toEqual(['thread c1', 'edit c9', 'resolve t1']);
    expect(result.sent.map(describeEntry)).toEqual(order);
    expect(result).toMatchObject({ refused: [], left: 0 });
    expect(await kept(outbox)).toEqual([]);
  });

  it('counts a deletion of a comment already gone as done', async () => {
    await outbox.record(del('c9'));
    const result = await flushPending(outbox, 'd1', async () => {
      throw new AppError(ErrorCode.COMMENT_NOT_FOUND);
    });
    expect(result).toMatchObject({ refused: [], left: 0 });
    expect(result.sent.map(describeEntry)).toEqual(['delete c9']);
  });

  it('drops a change refused for good with the later ones that depend on it, and goes on', async () => {
    await outbox.record(thread);
    await outbox.record(reply);
    await outbox.record({ ...edit('c9', 'in another thread'), threadId: 't2' });
    await outbox.record(resolve);
    const refusal = new AppError(ErrorCode.FORBIDDEN);
    const sent: string[] = [];
    const result = await flushPending(outbox, 'd1', async (e) => {
      if (e.kind === 'thread') throw refusal;
      sent.push(describeEntry(e));
    });
    expect(sent).toEqual(['edit c9']);
    expect(result.refused.map((r) => [describeEntry(r.entry), r.error])).toEqual([
      ['thread c1', refusal],
      ['reply c2', refusal],
      ['resolve t1', refusal],
    ]);
    expect(await kept(outbox)).toEqual([]);
  });

  it('still sends an edit or a deletion that collapsed into a creation while it was on its way', async () => {
    await outbox.record(reply);
    await outbox.record(resolve);
    const order: string[] = [];
    let during: PendingChange | null = edit('c2', 'changed in flight');
    const send = async (e: StoredChange) => {
      order.push(`${describeEntry(e)}${'body' in e ? ` "${e.body}"` : ''}`);
      if (e.kind === 'reply' && during) {
        await outbox.record(during); // the person edits the reply before the server answered
        during = null;
      }
    };
    await flushPending(outbox, 'd1', send);
    expect(order).toEqual(['reply c2 "second"', 'resolve t1', 'edit c2 "changed in flight"']);
    expect(await kept(outbox)).toEqual([]);

    order.length = 0;
    await outbox.record({ ...reply, commentId: 'c7' });
    during = del('c7');
    await flushPending(outbox, 'd1', send);
    expect(order).toEqual(['reply c7 "second"', 'delete c7']);
    expect(await kept(outbox)).toEqual([]);
  });

  it('stops at the first change without a final answer and keeps it and every later one', async () => {
    await outbox.record(thread);
    await outbox.record(edit('c9', 'x'));
    const send = jest.fn(async () => {
      throw new AppError(ErrorCode.UNAVAILABLE);
    });
    const result = await flushPending(outbox, 'd1', send);
    expect(send).toHaveBeenCalledTimes(1);
    expect(result).toEqual({ sent: [], refused: [], left: 2 });
    expect(await kept(outbox)).toEqual([thread, edit('c9', 'x')]);
  });
});

describe('failureOutcome', () => {
  it('is final only for a non-retryable coded refusal, and done for a deletion already done', () => {
    expect(failureOutcome(reply, new AppError(ErrorCode.FORBIDDEN))).toBe('refused');
    expect(failureOutcome(reply, new AppError(ErrorCode.COMMENT_ID_TAKEN))).toBe('refused');
    expect(failureOutcome(edit('c1', 'x'), new AppError(ErrorCode.COMMENT_NOT_FOUND))).toBe('refused');
    expect(failureOutcome(del('c1'), new AppError(ErrorCode.COMMENT_NOT_FOUND))).toBe('done');
    expect(failureOutcome(resolve, new AppError(ErrorCode.THREAD_NOT_FOUND))).toBe('refused');
    expect(failureOutcome(reply, new AppError(ErrorCode.UNAVAILABLE))).toBe('later');
    expect(failureOutcome(del('c1'), new TypeError('Failed to fetch'))).toBe('later');
  });
});
