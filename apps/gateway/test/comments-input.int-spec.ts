import { randomUUID } from 'node:crypto';
import type { CommentDto, CommentThreadDto, NotificationList } from '@collab/contracts';
import { comments, commentTools, newThread } from './comment-tools';
import { errorCode } from './harness';
import { twoGateways } from './two-gateways';

jest.setTimeout(90_000);

const stack = twoGateways('gw_comments_input');
let tools: ReturnType<typeof commentTools>;

beforeAll(() => {
  tools = commentTools(stack.h);
});

describe('resends and bad input', () => {
  it('a resent thread or reply (same client-made ids) is stored once, even when the copies race', async () => {
    const ada = await stack.h.createUser('Ada');
    const bob = await stack.h.createUser('Bob');
    const docId = await stack.h.createDocument(ada);
    await stack.h.addMember(docId, bob, 'editor');
    const version = await (await tools.typist(stack.gw1, ada, docId)).type([{ insert: 'abc\n' }]);
    const thread = newThread({ from: 0, to: 3, version }, 'hi @Bob', [bob]);
    const copies = await Promise.all(
      [stack.gw1, stack.gw2, stack.gw1].map((g) =>
        tools.post<CommentThreadDto>(g, ada, comments(docId), thread),
      ),
    );
    expect(copies.map((c) => c.status)).toEqual([201, 201, 201]);
    expect(new Set(copies.map((c) => JSON.stringify(c.body))).size).toBe(1);
    const reply = { commentId: randomUUID(), body: 'ok' };
    const replies = await Promise.all(
      [stack.gw1, stack.gw2].map((g) =>
        tools.post<CommentDto>(g, bob, `${comments(docId)}/${thread.threadId}`, reply),
      ),
    );
    expect(replies.map((r) => [r.status, r.body.id])).toEqual([
      [201, reply.commentId],
      [201, reply.commentId],
    ]);
    const threads = (await tools.list(stack.gw1, ada, docId)).threads;
    expect(threads).toHaveLength(1);
    expect(threads[0].comments.map((c) => c.body)).toEqual(['hi @Bob', 'ok']);
    const inbox = await stack.h.api<NotificationList>(stack.gw2, 'GET', '/notifications', {
      token: stack.h.token(bob),
    });
    expect(inbox.body.notifications).toHaveLength(1);
  });

  it('every bad input gets its code and changes nothing', async () => {
    const ada = await stack.h.createUser('Ada');
    const bob = await stack.h.createUser('Bob');
    const viewer = await stack.h.createUser('Vi');
    const stranger = await stack.h.createUser('Stranger');
    const docId = await stack.h.createDocument(ada);
    await stack.h.addMember(docId, bob, 'commenter');
    await stack.h.addMember(docId, viewer, 'viewer');
    const version = await (await tools.typist(stack.gw1, ada, docId)).type([{ insert: 'abcdef\n' }]); // "abcdef\n\n": length 8
    const thread = newThread({ from: 1, to: 3, version });
    expect((await tools.post(stack.gw1, ada, comments(docId), thread)).status).toBe(201);
    const adaComment = thread.commentId;
    const before = await tools.rowCounts();
    const threadPath = `${comments(docId)}/${thread.threadId}`;

    const cases: [string, Promise<{ status: number; body: unknown }>, number, string][] = [
      [
        'anchor past the end',
        tools.post(stack.gw1, bob, comments(docId), newThread({ from: 2, to: 9, version })),
        400,
        'ANCHOR_OUT_OF_RANGE',
      ],
      [
        'empty range',
        tools.post(stack.gw1, bob, comments(docId), newThread({ from: 2, to: 2, version })),
        400,
        'ANCHOR_OUT_OF_RANGE',
      ],
      [
        'version ahead',
        tools.post(stack.gw1, bob, comments(docId), newThread({ from: 0, to: 1, version: version + 5 })),
        409,
        'VERSION_AHEAD',
      ],
      [
        'empty body',
        tools.post(stack.gw1, bob, comments(docId), newThread({ from: 0, to: 1, version }, '')),
        400,
        'COMMENT_EMPTY',
      ],
      [
        'blank body',
        tools.post(stack.gw2, bob, threadPath, { commentId: randomUUID(), body: ' \n\t ' }),
        400,
        'COMMENT_EMPTY',
      ],
      [
        '100,000 characters',
        tools.post(stack.gw2, bob, threadPath, { commentId: randomUUID(), body: 'x'.repeat(100_000) }),
        413,
        'COMMENT_TOO_LONG',
      ],
      [
        'NUL in the body',
        tools.post(stack.gw2, bob, threadPath, { commentId: randomUUID(), body: 'a\u0000b' }),
        400,
        'BAD_REQUEST',
      ],
      [
        'mention of a non-member',
        tools.post(stack.gw2, bob, threadPath, {
          commentId: randomUUID(),
          body: 'hey',
          mentions: [stranger],
        }),
        400,
        'MENTION_NOT_MEMBER',
      ],
      [
        'viewer starts a thread',
        tools.post(stack.gw2, viewer, comments(docId), newThread({ from: 0, to: 1, version })),
        403,
        'FORBIDDEN',
      ],
      [
        'viewer replies',
        tools.post(stack.gw2, viewer, threadPath, { commentId: randomUUID(), body: 'hi' }),
        403,
        'FORBIDDEN',
      ],
      ['viewer resolves', tools.post(stack.gw2, viewer, `${threadPath}/resolve`), 403, 'FORBIDDEN'],
      [
        'stranger replies',
        tools.post(stack.gw2, stranger, threadPath, { commentId: randomUUID(), body: 'hi' }),
        404,
        'NOT_FOUND',
      ],
      [
        'edit someone else’s comment',
        stack.h.api(stack.gw1, 'PATCH', `${threadPath}/${adaComment}`, {
          token: stack.h.token(bob),
          body: { body: 'mine now' },
        }),
        403,
        'NOT_COMMENT_AUTHOR',
      ],
      [
        'delete someone else’s comment',
        stack.h.api(stack.gw1, 'DELETE', `${threadPath}/${adaComment}`, { token: stack.h.token(bob) }),
        403,
        'NOT_COMMENT_AUTHOR',
      ],
      [
        'reply to an unknown thread',
        tools.post(stack.gw1, bob, `${comments(docId)}/${randomUUID()}`, {
          commentId: randomUUID(),
          body: 'hi',
        }),
        404,
        'THREAD_NOT_FOUND',
      ],
      [
        'edit an unknown comment',
        stack.h.api(stack.gw1, 'PATCH', `${threadPath}/${randomUUID()}`, {
          token: stack.h.token(bob),
          body: { body: 'x' },
        }),
        404,
        'COMMENT_NOT_FOUND',
      ],
      [
        'a comment id used elsewhere',
        tools.post(stack.gw1, bob, threadPath, { commentId: adaComment, body: 'again' }),
        409,
        'COMMENT_ID_TAKEN',
      ],
      [
        'an unknown key',
        tools.post(stack.gw1, bob, threadPath, { commentId: randomUUID(), body: 'x', html: true }),
        400,
        'BAD_REQUEST',
      ],
      [
        'a thread id that is not a uuid',
        tools.post(stack.gw1, bob, `${comments(docId)}/nope`, { commentId: randomUUID(), body: 'x' }),
        400,
        'BAD_REQUEST',
      ],
    ];
    for (const [name, call, status, code] of cases) {
      const res = await call;
      expect({ name, status: res.status, code: errorCode(res.body) }).toEqual({ name, status, code });
    }
    expect(await tools.rowCounts()).toEqual(before);
    expect((await tools.list(stack.gw2, viewer, docId)).threads).toHaveLength(1); // viewers read

    // HTML is kept as typed, never interpreted: the answer is the same text.
    const html = await tools.post<CommentDto>(stack.gw2, bob, threadPath, {
      commentId: randomUUID(),
      body: '<script>alert(1)</script>',
    });
    expect([html.status, html.body.body]).toEqual([201, '<script>alert(1)</script>']);
  });
});

describe('notifications', () => {
  it('list, count and mark read only the caller’s own', async () => {
    const ada = await stack.h.createUser('Ada');
    const bob = await stack.h.createUser('Bob');
    const docId = await stack.h.createDocument(ada);
    await stack.h.addMember(docId, bob, 'commenter');
    const version = await (await tools.typist(stack.gw1, ada, docId)).type([{ insert: 'abc\n' }]);
    await tools.post(stack.gw1, ada, comments(docId), newThread({ from: 0, to: 1, version }, 'one', [bob]));
    await tools.post(stack.gw1, ada, comments(docId), newThread({ from: 1, to: 2, version }, 'two', [bob]));
    const inbox = (
      await stack.h.api<NotificationList>(stack.gw2, 'GET', '/notifications', { token: stack.h.token(bob) })
    ).body;
    expect(inbox.unreadCount).toBe(2);
    expect(inbox.notifications.map((n) => [n.excerpt, n.actor.name, n.documentTitle])).toEqual([
      ['two', 'Ada', 'Doc'],
      ['one', 'Ada', 'Doc'],
    ]);
    const first = inbox.notifications[1].id;
    expect((await tools.post(stack.gw1, ada, '/notifications/read', { ids: [first] })).body).toEqual({
      unreadCount: 0,
    });
    expect(
      (await stack.h.api(stack.gw2, 'GET', '/notifications/unread-count', { token: stack.h.token(bob) }))
        .body,
    ).toEqual({
      unreadCount: 2,
    });
    expect((await tools.post(stack.gw2, bob, '/notifications/read', { ids: [first] })).body).toEqual({
      unreadCount: 1,
    });
    const unread = await stack.h.api<NotificationList>(stack.gw2, 'GET', '/notifications?unread=true', {
      token: stack.h.token(bob),
    });
    expect(unread.body.notifications.map((n) => n.excerpt)).toEqual(['two']);
    expect((await tools.post(stack.gw2, bob, '/notifications/read', { all: true })).body).toEqual({
      unreadCount: 0,
    });
    expect(errorCode((await tools.post(stack.gw2, bob, '/notifications/read', { all: false })).body)).toBe(
      'BAD_REQUEST',
    );
    expect((await stack.h.api(stack.gw2, 'GET', '/notifications')).status).toBe(401);
  });
});
