import { randomUUID } from 'node:crypto';
import { transformAnchorThrough, type CommentAnchor } from '@collab/ot';
import { createTestDatabase, type TestDatabase } from '@collab/testing';
import type { DataSource } from 'typeorm';
import {
  anchorsAtVersion,
  DocumentMemberEntity,
  findCommentById,
  findThreadById,
  insertCommentIfAbsent,
  insertMentionNotifications,
  insertOperations,
  insertThreadIfAbsent,
  listComments,
  listDocumentThreads,
  listNotifications,
  listThreadPlaces,
  listThreads,
  liveCommentCount,
  markCommentDeleted,
  markNotificationsRead,
  membersAmong,
  setMentions,
  setThreadResolved,
  storeMovedAnchors,
  unreadNotificationCount,
  updateCommentBody,
  type NewOperation,
  type StoredDelta,
} from '../src';
import { createDocument, createUser } from '@collab/testing';
import { migratedDataSource } from './fixtures';

let db: TestDatabase;
let ds: DataSource;

beforeAll(async () => {
  db = await createTestDatabase('persistence_comments');
  ds = await migratedDataSource(db.url);
});

afterAll(async () => {
  await ds?.destroy();
  await db.drop();
});

async function sharedDocument(): Promise<{ owner: string; member: string; stranger: string; docId: string }> {
  const owner = await createUser(ds);
  const member = await createUser(ds);
  const stranger = await createUser(ds);
  const docId = await createDocument(ds, owner);
  await ds.getRepository(DocumentMemberEntity).save([
    { documentId: docId, userId: owner, role: 'owner' },
    { documentId: docId, userId: member, role: 'commenter' },
  ]);
  return { owner, member, stranger, docId };
}

async function thread(
  docId: string,
  author: string,
  anchor: CommentAnchor,
): Promise<{ threadId: string; commentId: string }> {
  const threadId = randomUUID();
  const commentId = randomUUID();
  expect(
    await insertThreadIfAbsent(ds.manager, {
      id: threadId,
      documentId: docId,
      anchor,
      quotedText: 'q',
      createdBy: author,
    }),
  ).toBe(true);
  expect(
    await insertCommentIfAbsent(ds.manager, { id: commentId, threadId, authorId: author, body: 'first' }),
  ).toBe(true);
  return { threadId, commentId };
}

function logged(docId: string, userId: string, deltas: StoredDelta[]): NewOperation[] {
  return deltas.map((delta, i) => ({
    documentId: docId,
    version: i + 1,
    userId,
    clientId: 'c',
    seq: i + 1,
    submissionHash: 'h',
    delta,
  }));
}

describe('threads and comments', () => {
  it('store once by client-made id: a resend stores nothing and the first copy stays', async () => {
    const { owner, docId } = await sharedDocument();
    const anchor = { from: 1, to: 3, version: 0, detached: false };
    const { threadId, commentId } = await thread(docId, owner, anchor);
    expect(
      await insertThreadIfAbsent(ds.manager, {
        id: threadId,
        documentId: docId,
        anchor,
        quotedText: 'other',
        createdBy: owner,
      }),
    ).toBe(false);
    expect(
      await insertCommentIfAbsent(ds.manager, { id: commentId, threadId, authorId: owner, body: 'again' }),
    ).toBe(false);
    expect((await findThreadById(ds.manager, threadId))?.quotedText).toBe('q');
    expect((await findCommentById(ds.manager, commentId))?.body).toBe('first');
  });

  it('list threads with a live comment, comments oldest first with their mentions; a thread with none left is gone', async () => {
    const { owner, member, docId } = await sharedDocument();
    const a = await thread(docId, owner, { from: 0, to: 1, version: 0, detached: false });
    const b = await thread(docId, member, { from: 1, to: 2, version: 0, detached: false });
    const reply = randomUUID();
    await insertCommentIfAbsent(ds.manager, {
      id: reply,
      threadId: a.threadId,
      authorId: member,
      body: 'reply',
    });
    expect(await setMentions(ds.manager, reply, [owner])).toEqual([owner]);
    // Editing keeps a mention: nobody new to notify; dropping and adding changes only what changed.
    expect(await setMentions(ds.manager, reply, [owner, member])).toEqual([member]);
    expect(await setMentions(ds.manager, reply, [member])).toEqual([]);
    expect(await updateCommentBody(ds.manager, reply, 'reply, edited')).toBe(true);

    expect((await listThreads(ds.manager, docId)).map((t) => t.id)).toEqual([a.threadId, b.threadId]);
    const comments = await listComments(ds.manager, [a.threadId]);
    expect(comments.map((c) => [c.id, c.body, c.mentions])).toEqual([
      [a.commentId, 'first', []],
      [reply, 'reply, edited', [member]],
    ]);
    expect(comments[1].editedAt).toBeInstanceOf(Date);
    // By document, in one read: each thread with its comments, none of another document's.
    await thread((await sharedDocument()).docId, owner, { from: 0, to: 1, version: 0, detached: false });
    const byDocument = await listDocumentThreads(ds.manager, docId);
    expect(byDocument.map((t) => [t.thread.id, t.comments.map((c) => c.id)])).toEqual([
      [a.threadId, [a.commentId, reply]],
      [b.threadId, [b.commentId]],
    ]);
    expect(byDocument[0].thread).toEqual((await listThreads(ds.manager, docId))[0]);
    expect(byDocument[0].comments).toEqual(comments);
    // Some of them: the same rows, of those ids only.
    expect(await listDocumentThreads(ds.manager, docId, [b.threadId])).toEqual([byDocument[1]]);
    expect(await listDocumentThreads(ds.manager, docId, [])).toEqual([]);
    // Where each is, without text or comments: the same threads, the same order.
    expect(await listThreadPlaces(ds.manager, docId)).toEqual(
      byDocument.map(({ thread: t }) => ({
        id: t.id,
        anchor: t.anchor,
        resolved: false,
      })),
    );

    expect(await markCommentDeleted(ds.manager, b.commentId)).toBe(true);
    expect((await listDocumentThreads(ds.manager, docId)).map((t) => t.thread.id)).toEqual([a.threadId]);
    expect((await listThreadPlaces(ds.manager, docId)).map((t) => t.id)).toEqual([a.threadId]);
    expect(await markCommentDeleted(ds.manager, b.commentId)).toBe(false);
    expect(await updateCommentBody(ds.manager, b.commentId, 'too late')).toBe(false);
    expect(await liveCommentCount(ds.manager, b.threadId)).toBe(0);
    expect((await listThreads(ds.manager, docId)).map((t) => t.id)).toEqual([a.threadId]);
    expect(await findCommentById(ds.manager, b.commentId)).toMatchObject({ body: '', mentions: [] });
  });

  it('resolve keeps the first resolver; reopen clears; another document’s thread is not found', async () => {
    const { owner, member, docId } = await sharedDocument();
    const other = await sharedDocument();
    const { threadId } = await thread(docId, owner, { from: 0, to: 1, version: 0, detached: false });
    const resolved = await setThreadResolved(ds.manager, docId, threadId, member);
    expect(resolved).toMatchObject({ resolvedBy: member });
    expect((await listThreadPlaces(ds.manager, docId))[0]).toMatchObject({ id: threadId, resolved: true });
    expect(await setThreadResolved(ds.manager, docId, threadId, owner)).toMatchObject({
      resolvedBy: member,
      resolvedAt: resolved?.resolvedAt,
    });
    expect(await setThreadResolved(ds.manager, docId, threadId, null)).toMatchObject({
      resolvedBy: null,
      resolvedAt: null,
    });
    expect(await setThreadResolved(ds.manager, other.docId, threadId, owner)).toBeNull();
  });

  it('refuses a body over the limit in the database too', async () => {
    const { owner, docId } = await sharedDocument();
    const { threadId } = await thread(docId, owner, { from: 0, to: 1, version: 0, detached: false });
    await expect(
      insertCommentIfAbsent(ds.manager, {
        id: randomUUID(),
        threadId,
        authorId: owner,
        body: 'x'.repeat(10_001),
      }),
    ).rejects.toThrow(/chk_comments_body/);
    await expect(
      insertCommentIfAbsent(ds.manager, { id: randomUUID(), threadId, authorId: owner, body: '' }),
    ).rejects.toThrow(/chk_comments_body/);
  });
});

describe('anchors', () => {
  // "abcdefgh\n" at version 1, then: "X" at 0, delete "e", "!" typed after "d", delete "cd".
  const deltas: StoredDelta[] = [
    [{ insert: 'abcdefgh\n' }],
    [{ insert: 'X' }],
    [{ retain: 5 }, { delete: 1 }],
    [{ retain: 5 }, { insert: '!' }],
    [{ retain: 3 }, { delete: 2 }],
  ];

  it('move through the log from each one’s version, paged, as a replay in memory does', async () => {
    const { owner, docId } = await sharedDocument();
    await insertOperations(ds.manager, logged(docId, owner, deltas));
    const anchors = new Map<string, CommentAnchor>([
      ['cde@1', { from: 2, to: 5, version: 1, detached: false }],
      ['bcd@2', { from: 2, to: 5, version: 2, detached: false }],
      ['g@4', { from: 7, to: 8, version: 4, detached: false }],
      ['head', { from: 0, to: 1, version: 5, detached: false }],
    ]);
    const moved = await anchorsAtVersion(ds.manager, docId, anchors, 5, { pageSize: 2 });
    const inMemory = deltas.map((delta, i) => ({ version: i + 1, delta }));
    for (const [key, anchor] of anchors)
      expect(moved.get(key)).toEqual(transformAnchorThrough(anchor, inMemory));
    expect(moved.get('cde@1')).toEqual({ from: 3, to: 3, version: 5, detached: true });
    expect(moved.get('g@4')).toEqual({ from: 5, to: 6, version: 5, detached: false });
    // Up to an earlier version only.
    expect(moved.get('bcd@2')).toEqual({ from: 2, to: 3, version: 5, detached: false });
    expect((await anchorsAtVersion(ds.manager, docId, anchors, 3)).get('cde@1')).toEqual({
      from: 3,
      to: 5,
      version: 3,
      detached: false,
    });
    await expect(anchorsAtVersion(ds.manager, docId, anchors, 9)).rejects.toThrow(/operation 6 is missing/);
  });

  it('are stored moved only forwards: a slower reader never moves one back', async () => {
    const { owner, docId } = await sharedDocument();
    const { threadId } = await thread(docId, owner, { from: 2, to: 5, version: 1, detached: false });
    expect(
      await storeMovedAnchors(ds.manager, [
        { threadId, anchor: { from: 3, to: 4, version: 5, detached: false } },
      ]),
    ).toBe(1);
    expect(
      await storeMovedAnchors(ds.manager, [
        { threadId, anchor: { from: 3, to: 5, version: 3, detached: false } },
      ]),
    ).toBe(0);
    expect(
      await storeMovedAnchors(ds.manager, [
        { threadId, anchor: { from: 3, to: 4, version: 5, detached: false } },
      ]),
    ).toBe(0);
    expect((await findThreadById(ds.manager, threadId))?.anchor).toEqual({
      from: 3,
      to: 4,
      version: 5,
      detached: false,
    });
  });
});

describe('mentions and notifications', () => {
  it('notify each member once per comment; list, count and mark read only the user’s own, visible ones', async () => {
    const { owner, member, stranger, docId } = await sharedDocument();
    expect(await membersAmong(ds.manager, docId, [owner, member, stranger])).toEqual(
      new Set([owner, member]),
    );
    const { threadId, commentId } = await thread(docId, owner, {
      from: 0,
      to: 1,
      version: 0,
      detached: false,
    });
    const mention = { documentId: docId, threadId, commentId, actorId: owner, userIds: [member] };
    const made = await insertMentionNotifications(ds.manager, mention);
    expect([...made.keys()]).toEqual([member]);
    expect((await insertMentionNotifications(ds.manager, mention)).size).toBe(0);

    const [entry] = await listNotifications(ds.manager, member, { limit: 10, unreadOnly: true });
    expect(entry).toMatchObject({
      id: made.get(member),
      kind: 'mention',
      documentTitle: 'Doc',
      threadId,
      commentId,
      body: 'first',
      readAt: null,
    });
    expect(entry.actor.userId).toBe(owner);
    expect(await unreadNotificationCount(ds.manager, member)).toBe(1);

    expect(await markNotificationsRead(ds.manager, owner, { ids: [entry.id] })).toBe(0);
    expect(await unreadNotificationCount(ds.manager, member)).toBe(1);
    expect(await markNotificationsRead(ds.manager, member, { ids: [entry.id] })).toBe(1);
    expect(await unreadNotificationCount(ds.manager, member)).toBe(0);
    expect(await listNotifications(ds.manager, member, { limit: 10, unreadOnly: true })).toEqual([]);
    expect(await listNotifications(ds.manager, member, { limit: 10, unreadOnly: false })).toHaveLength(1);

    // A removed member, or a deleted comment, hides the entry.
    await ds.getRepository(DocumentMemberEntity).delete({ documentId: docId, userId: member });
    expect(await listNotifications(ds.manager, member, { limit: 10, unreadOnly: false })).toEqual([]);
  });

  it('mark all read, and count only visible ones', async () => {
    const { owner, member, docId } = await sharedDocument();
    const a = await thread(docId, owner, { from: 0, to: 1, version: 0, detached: false });
    const b = await thread(docId, owner, { from: 0, to: 1, version: 0, detached: false });
    for (const t of [a, b]) {
      await insertMentionNotifications(ds.manager, {
        documentId: docId,
        ...t,
        actorId: owner,
        userIds: [member],
      });
    }
    expect(await unreadNotificationCount(ds.manager, member)).toBe(2);
    await markCommentDeleted(ds.manager, b.commentId);
    expect(await unreadNotificationCount(ds.manager, member)).toBe(1);
    expect(await markNotificationsRead(ds.manager, member, 'all')).toBe(2);
    expect(await unreadNotificationCount(ds.manager, member)).toBe(0);
  });
});
