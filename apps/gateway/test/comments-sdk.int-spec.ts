import { randomUUID } from 'node:crypto';
import { CollabDocument, CommentsClient, type CommentsEvents } from '@collab/client';
import { transformAnchorThrough } from '@collab/ot';
import Delta from 'quill-delta';
import { until } from '@collab/testing';
import type { RunningGateway } from './harness';
import { twoGateways } from './two-gateways';

jest.setTimeout(60_000);

const stack = twoGateways('gw_comments_sdk', { docServices: 1 });

async function open(gateway: RunningGateway, userId: string, docId: string) {
  const doc = stack.h.track(
    new CollabDocument({ url: gateway.url, docId, token: () => stack.h.token(userId) }),
  );
  await doc.open();
  const comments = new CommentsClient({
    url: gateway.url,
    docId,
    token: () => stack.h.token(userId),
    retryDelayMs: 20,
  });
  comments.attach(doc);
  return { doc, comments };
}

function next<K extends keyof CommentsEvents>(
  client: CommentsClient,
  event: K,
): Promise<CommentsEvents[K][0]> {
  return new Promise((resolve) => {
    const off = client.on(event, ((payload: CommentsEvents[K][0]) => {
      off();
      resolve(payload);
    }) as never);
  });
}

it('comments through the SDK: live events on another gateway, a resend stored once, anchors moved as the server moves them', async () => {
  const ada = await stack.h.createUser('Ada');
  const bob = await stack.h.createUser('Bob');
  const docId = await stack.h.createDocument(ada);
  await stack.h.addMember(docId, bob, 'commenter');
  const a = await open(stack.gw1, ada, docId);
  const b = await open(stack.gw2, bob, docId);
  a.doc.submit(new Delta().insert('The quick fox'));
  await a.doc.whenSynced();
  await b.doc.whenSynced();
  await until(() => b.doc.version === a.doc.version, { what: "Bob's copy at Ada's version" });

  // Bob comments on "quick" in the document as his editor shows it; Ada hears of it.
  const heard = next(a.comments, 'thread:created');
  const request = {
    threadId: randomUUID(),
    commentId: randomUUID(),
    anchor: { from: 4, to: 9, version: b.doc.version },
    body: 'Fast?',
  };
  const thread = await b.comments.startThread(request);
  expect(thread.quotedText).toBe('quick');
  expect((await heard).thread.id).toBe(request.threadId);
  // A resend after a lost answer (same ids) is the same thread, not a second one.
  expect(await b.comments.startThread(request)).toEqual(thread);

  // Ada replies mentioning Bob: Bob's client hears the reply and the notification.
  const replied = next(b.comments, 'comment:created');
  const notified = next(b.comments, 'notification');
  await a.comments.reply(thread.id, { body: 'Yes, @Bob', mentions: [bob] });
  expect((await replied).comment.body).toBe('Yes, @Bob');
  expect(await notified).toMatchObject({ unreadCount: 1, notification: { threadId: thread.id } });
  expect((await b.comments.unreadCount()).unreadCount).toBe(1);

  // Ada types before the range: the server's anchor equals the one Bob's client computes from the log.
  a.doc.submit(new Delta().insert('Look: '));
  await a.doc.whenSynced();
  const listed = await b.comments.list();
  const rows: { version: string; delta: Delta['ops'] }[] = await stack.h.dataSource.query(
    'SELECT version, delta FROM operations WHERE document_id = $1 ORDER BY version',
    [docId],
  );
  const moved = transformAnchorThrough(
    thread.anchor,
    rows.map((r) => ({ version: Number(r.version), delta: r.delta })),
  );
  expect(listed.threads[0].anchor).toEqual(moved);
  // A first page through the SDK: the same thread, checked against the same schema.
  expect(await a.comments.list({ limit: 1 })).toEqual({ ...listed, complete: true });
  expect(a.doc.text.slice(moved.from, moved.to)).toBe('quick');

  // A refusal is a coded AppError.
  await expect(b.comments.reply(thread.id, { body: '   ' })).rejects.toMatchObject({ code: 'COMMENT_EMPTY' });
  const resolved = next(b.comments, 'thread:resolved');
  await a.comments.resolve(thread.id);
  expect((await resolved).resolvedBy.userId).toBe(ada);
});
