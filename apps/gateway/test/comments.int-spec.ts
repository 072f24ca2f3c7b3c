import { randomUUID } from 'node:crypto';
import type { CommentDto, CommentThreadDto, NotificationEvent } from '@collab/contracts';
import { comments, commentTools, newThread, nextEvent, replayAnchor } from './comment-tools';
import { request } from './harness';
import { twoGateways } from './two-gateways';

jest.setTimeout(90_000);

const stack = twoGateways('gw_comments');
let tools: ReturnType<typeof commentTools>;

beforeAll(() => {
  tools = commentTools(stack.h);
});

describe('comments while someone types', () => {
  it('two users comment and reply while a third types; every anchor equals a replay of the log', async () => {
    const ada = await stack.h.createUser('Ada');
    const bob = await stack.h.createUser('Bob');
    const cy = await stack.h.createUser('Cy');
    const docId = await stack.h.createDocument(ada);
    await stack.h.addMember(docId, bob, 'commenter');
    await stack.h.addMember(docId, cy, 'editor');
    const typing = await tools.typist(stack.gw2, cy, docId);
    const v1 = await typing.type([{ insert: 'Hello brave new world\n' }]);

    const onBrave = newThread({ from: 6, to: 11, version: v1 }, 'Too bold?');
    const onWorld = newThread({ from: 16, to: 21, version: v1 }, 'Which one?', [ada]);
    const edits: unknown[][] = [
      [{ insert: 'Well, ' }], // before everything
      [{ retain: 17 }, { insert: 'ly' }], // typed right at the end of "brave": stays outside
      [{ retain: 19 }, { delete: 4 }], // " new" goes
      [{ retain: 20 }, { insert: 'wide ' }], // typed right at the start of "world": stays outside
      [{ retain: 27 }, { insert: '-' }], // inside "world": "wo-rld" grows
      [{ retain: 31 }, { insert: '!' }], // after "wo-rld"
    ];
    const [braveRes, worldRes] = await Promise.all([
      tools.post<CommentThreadDto>(stack.gw1, ada, comments(docId), onBrave),
      tools.post<CommentThreadDto>(stack.gw2, bob, comments(docId), onWorld),
      (async () => {
        for (const delta of edits) await typing.type(delta);
      })(),
    ]);
    expect([braveRes.status, worldRes.status]).toEqual([201, 201]);
    expect(braveRes.body).toMatchObject({
      quotedText: 'brave',
      anchor: { from: 6, to: 11, version: v1, detached: false },
    });
    expect(worldRes.body.quotedText).toBe('world');

    const [replyBob, replyAda] = await Promise.all([
      tools.post<CommentDto>(stack.gw2, bob, `${comments(docId)}/${onBrave.threadId}`, {
        commentId: randomUUID(),
        body: 'No.',
      }),
      tools.post<CommentDto>(stack.gw1, ada, `${comments(docId)}/${onWorld.threadId}`, {
        commentId: randomUUID(),
        body: 'This one.',
      }),
      typing.type([{ delete: 6 }]), // "Well, " goes again
    ]);
    expect([replyBob.status, replyAda.status]).toEqual([201, 201]);

    const listed = await tools.list(stack.gw2, cy, docId);
    const log = await tools.loggedOps(docId);
    expect(listed.version).toBe(log.length);
    const text = (await stack.h.replay(docId)).ops.map((op) => op.insert).join('');
    expect(text).toBe('Hello bravely wide wo-rld!\n\n');
    const byId = new Map(listed.threads.map((t) => [t.id, t]));
    for (const created of [braveRes.body, worldRes.body]) {
      const expected = replayAnchor(created.anchor, log);
      expect(byId.get(created.id)?.anchor).toEqual(expected);
    }
    const covered = (id: string) => text.slice(byId.get(id)!.anchor.from, byId.get(id)!.anchor.to);
    expect([covered(onBrave.threadId), covered(onWorld.threadId)]).toEqual(['brave', 'wo-rld']);
    expect(byId.get(onBrave.threadId)?.comments.map((c) => [c.author.name, c.body])).toEqual([
      ['Ada', 'Too bold?'],
      ['Bob', 'No.'],
    ]);

    // The read stored the moved anchors; later typing moves them from there, and deleting all of a
    // range's text detaches it.
    const stored: { anchor_version: string }[] = await stack.h.dataSource.query(
      'SELECT anchor_version FROM comment_threads WHERE document_id = $1',
      [docId],
    );
    expect(stored.map((r) => Number(r.anchor_version))).toEqual([listed.version, listed.version]);
    await typing.type([{ retain: 6 }, { delete: 8 }]); // "bravely " goes
    const again = await tools.list(stack.gw1, bob, docId);
    const braveNow = again.threads.find((t) => t.id === onBrave.threadId)!;
    expect(braveNow.anchor).toEqual({ from: 6, to: 6, version: listed.version + 1, detached: true });
    expect(braveNow.quotedText).toBe('brave');
    expect(braveNow.anchor).toEqual(replayAnchor(braveRes.body.anchor, await tools.loggedOps(docId)));
  });
});

describe('live events', () => {
  it('reach another member’s socket on another gateway; a mention reaches the mentioned user’s sockets', async () => {
    const ada = await stack.h.createUser('Ada');
    const bob = await stack.h.createUser('Bob');
    const docId = await stack.h.createDocument(ada);
    await stack.h.addMember(docId, bob, 'viewer');
    const typing = await tools.typist(stack.gw1, ada, docId);
    const version = await typing.type([{ insert: 'Some text\n' }]);

    const watcher = await stack.h.connect(stack.gw2, bob);
    expect(await request(watcher, 'join', { docId })).toMatchObject({ ok: true });
    const mentioned = await stack.h.connect(stack.gw2, bob); // not joined: hears its notifications only

    const thread = newThread({ from: 0, to: 4, version }, 'Mind @Bob', [bob]);
    const created = nextEvent<{ docId: string; thread: CommentThreadDto }>(watcher, 'thread:created');
    const notified = nextEvent<NotificationEvent>(mentioned, 'notification');
    expect((await tools.post(stack.gw1, ada, comments(docId), thread)).status).toBe(201);
    expect((await created).thread).toMatchObject({ id: thread.threadId, quotedText: 'Some' });
    expect(await notified).toMatchObject({
      unreadCount: 1,
      notification: {
        kind: 'mention',
        docId,
        threadId: thread.threadId,
        commentId: thread.commentId,
        excerpt: 'Mind @Bob',
      },
    });

    const replyId = randomUUID();
    const replied = nextEvent<{ comment: CommentDto }>(watcher, 'comment:created');
    await tools.post(stack.gw1, ada, `${comments(docId)}/${thread.threadId}`, {
      commentId: replyId,
      body: 'More',
    });
    expect((await replied).comment).toMatchObject({ id: replyId, body: 'More' });

    const edited = nextEvent<{ comment: CommentDto }>(watcher, 'comment:edited');
    await stack.h.api(stack.gw1, 'PATCH', `${comments(docId)}/${thread.threadId}/${replyId}`, {
      token: stack.h.token(ada),
      body: { body: 'Less' },
    });
    expect((await edited).comment).toMatchObject({ id: replyId, body: 'Less' });

    const resolved = nextEvent<{ threadId: string; resolvedBy: { userId: string } }>(
      watcher,
      'thread:resolved',
    );
    await tools.post(stack.gw1, ada, `${comments(docId)}/${thread.threadId}/resolve`);
    expect(await resolved).toMatchObject({ threadId: thread.threadId, resolvedBy: { userId: ada } });
    const reopened = nextEvent<{ threadId: string }>(watcher, 'thread:reopened');
    await tools.post(stack.gw1, ada, `${comments(docId)}/${thread.threadId}/reopen`);
    expect(await reopened).toEqual({ docId, threadId: thread.threadId });

    const deleted = nextEvent<{ commentId: string; threadDeleted: boolean }>(watcher, 'comment:deleted');
    await stack.h.api(stack.gw1, 'DELETE', `${comments(docId)}/${thread.threadId}/${replyId}`, {
      token: stack.h.token(ada),
    });
    expect(await deleted).toEqual({
      docId,
      threadId: thread.threadId,
      commentId: replyId,
      threadDeleted: false,
    });
  });
});

describe('restores', () => {
  it('a restore moves anchors like any operation; a detached one stays detached with its quoted text', async () => {
    const ada = await stack.h.createUser('Ada');
    const docId = await stack.h.createDocument(ada);
    const typing = await tools.typist(stack.gw1, ada, docId);
    const v1 = await typing.type([{ insert: 'keep this and that\n' }]);
    const onThis = newThread({ from: 5, to: 9, version: v1 }, 'this');
    const onThat = newThread({ from: 14, to: 18, version: v1 }, 'that');
    for (const thread of [onThis, onThat])
      expect((await tools.post(stack.gw1, ada, comments(docId), thread)).status).toBe(201);
    await typing.type([{ retain: 9 }, { delete: 9 }]); // " and that" goes: "that" detaches
    await typing.type([{ insert: 'Now ' }]);
    const restored = await tools.post<{ version: number }>(stack.gw2, ada, `/documents/${docId}/restore`, {
      version: v1,
    });
    expect(restored.status).toBe(200);

    const listed = await tools.list(stack.gw2, ada, docId);
    const log = await tools.loggedOps(docId);
    expect(listed.version).toBe(log.length);
    const text = (await stack.h.replay(docId)).ops.map((op) => op.insert).join('');
    expect(text).toBe('keep this and that\n\n');
    const byId = new Map(listed.threads.map((t) => [t.id, t]));
    const created = { from: 0, to: 0, version: v1, detached: false };
    expect(byId.get(onThis.threadId)?.anchor).toEqual(replayAnchor({ ...created, from: 5, to: 9 }, log));
    const thisAnchor = byId.get(onThis.threadId)!.anchor;
    expect(text.slice(thisAnchor.from, thisAnchor.to)).toBe('this');
    expect(byId.get(onThat.threadId)).toMatchObject({
      anchor: { ...replayAnchor({ ...created, from: 14, to: 18 }, log), detached: true },
      quotedText: 'that',
    });
  });
});
