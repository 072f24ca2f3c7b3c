import { randomUUID } from 'node:crypto';
import type { CommentDto, CommentThreadDto } from '@collab/contracts';
import { comments, commentTools, newThread } from './comment-tools';
import { errorCode } from './harness';
import { twoGateways } from './two-gateways';

jest.setTimeout(90_000);

/**
 * What a repeat of an edit, a deletion, a resolve or a reopen answers: the
 * web app's comment outbox sends a change again when it got no answer, and
 * reads these answers as "done" (the state the person wanted) or as a final
 * refusal (see apps/web/src/comments/comment-outbox.ts, failureOutcome).
 */
const stack = twoGateways('gw_comments_repeat');
let tools: ReturnType<typeof commentTools>;

beforeAll(() => {
  tools = commentTools(stack.h);
});

it('a repeated edit, resolve, reopen or deletion answers the state wanted, on either gateway', async () => {
  const ada = await stack.h.createUser('Ada');
  const docId = await stack.h.createDocument(ada);
  const version = await (await tools.typist(stack.gw1, ada, docId)).type([{ insert: 'abc\n' }]);
  const thread = newThread({ from: 0, to: 3, version }, 'first');
  expect((await tools.post(stack.gw1, ada, comments(docId), thread)).status).toBe(201);
  const threadPath = `${comments(docId)}/${thread.threadId}`;
  const reply = { commentId: randomUUID(), body: 'second' };
  expect((await tools.post(stack.gw1, ada, threadPath, reply)).status).toBe(201);
  const call = <T>(gateway: typeof stack.gw1, method: string, path: string, body?: unknown) =>
    stack.h.api<T>(gateway, method, path, { token: stack.h.token(ada), body });

  // An edit sent twice: both answer the same text.
  const edits = [
    await call<CommentDto>(stack.gw1, 'PATCH', `${threadPath}/${reply.commentId}`, { body: 'better' }),
    await call<CommentDto>(stack.gw2, 'PATCH', `${threadPath}/${reply.commentId}`, { body: 'better' }),
  ];
  expect(edits.map((e) => [e.status, e.body.body])).toEqual([
    [200, 'better'],
    [200, 'better'],
  ]);

  // Resolving a resolved thread keeps who resolved it and when; reopening an open one answers it open.
  const resolved = [
    await call<CommentThreadDto>(stack.gw1, 'POST', `${threadPath}/resolve`),
    await call<CommentThreadDto>(stack.gw2, 'POST', `${threadPath}/resolve`),
  ];
  expect(resolved.map((r) => r.status)).toEqual([200, 200]);
  expect(resolved[1].body.resolvedAt).toBe(resolved[0].body.resolvedAt);
  expect(resolved[1].body.resolvedBy?.userId).toBe(ada);
  const reopened = [
    await call<CommentThreadDto>(stack.gw2, 'POST', `${threadPath}/reopen`),
    await call<CommentThreadDto>(stack.gw1, 'POST', `${threadPath}/reopen`),
  ];
  expect(reopened.map((r) => [r.status, r.body.resolvedAt])).toEqual([
    [200, null],
    [200, null],
  ]);

  // A deletion sent again answers COMMENT_NOT_FOUND (coded, 404): the comment is gone, as wanted.
  const deleted = [
    await call(stack.gw1, 'DELETE', `${threadPath}/${reply.commentId}`),
    await call(stack.gw2, 'DELETE', `${threadPath}/${reply.commentId}`),
  ];
  expect(deleted.map((d) => [d.status, errorCode(d.body)])).toEqual([
    [204, undefined],
    [404, 'COMMENT_NOT_FOUND'],
  ]);
  // An edit after the deletion is refused for good, and the text stays deleted.
  const late = await call(stack.gw1, 'PATCH', `${threadPath}/${reply.commentId}`, { body: 'too late' });
  expect([late.status, errorCode(late.body)]).toEqual([404, 'COMMENT_NOT_FOUND']);

  // Once the thread's last comment is gone, deleting it again is still COMMENT_NOT_FOUND,
  // and resolving or reopening the thread is THREAD_NOT_FOUND (a final refusal).
  expect((await call(stack.gw1, 'DELETE', `${threadPath}/${thread.commentId}`)).status).toBe(204);
  const afterwards = [
    await call(stack.gw2, 'DELETE', `${threadPath}/${thread.commentId}`),
    await call(stack.gw1, 'POST', `${threadPath}/resolve`),
    await call(stack.gw2, 'POST', `${threadPath}/reopen`),
  ];
  expect(afterwards.map((a) => [a.status, errorCode(a.body)])).toEqual([
    [404, 'COMMENT_NOT_FOUND'],
    [404, 'THREAD_NOT_FOUND'],
    [404, 'THREAD_NOT_FOUND'],
  ]);
  expect((await tools.list(stack.gw2, ada, docId)).threads).toEqual([]);
});
