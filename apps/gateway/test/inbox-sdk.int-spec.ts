import { CollabDocument, CommentsClient, InboxClient } from '@collab/client';
import type { NotificationEvent } from '@collab/contracts';
import { until } from '@collab/testing';
import Delta from 'quill-delta';
import { twoGateways } from './two-gateways';

jest.setTimeout(60_000);

const stack = twoGateways('gw_inbox_sdk', { docServices: 1 });

/** Bob's document, with text to comment on, and his comments over REST on the second gateway. */
async function bobsSide(ada: string, bob: string) {
  const docId = await stack.h.createDocument(ada);
  await stack.h.addMember(docId, bob, 'editor');
  const doc = stack.h.track(
    new CollabDocument({ url: stack.gw2.url, docId, token: () => stack.h.token(bob) }),
  );
  await doc.open();
  doc.submit(new Delta().insert('The quick fox'));
  await doc.whenSynced();
  const comments = new CommentsClient({ url: stack.gw2.url, docId, token: () => stack.h.token(bob) });
  const mention = (body: string) =>
    comments.startThread({ anchor: { from: 4, to: 9, version: doc.version }, body, mentions: [ada] });
  return { docId, mention };
}

it("a mention made over REST on one gateway reaches the user's inbox live on another, with no document open", async () => {
  const ada = await stack.h.createUser('Ada');
  const bob = await stack.h.createUser('Bob');
  const inbox = stack.h.track(new InboxClient({ url: stack.gw1.url, token: () => stack.h.token(ada) }));
  const heard: NotificationEvent[] = [];
  let connections = 0;
  inbox.on('notification', (event) => heard.push(event));
  inbox.on('connected', () => connections++);
  inbox.open();
  await until(() => connections === 1, { what: "Ada's inbox connected" });

  const { docId, mention } = await bobsSide(ada, bob);
  const thread = await mention('What do you think, @Ada?');
  await until(() => heard.length === 1, { what: 'the notification at Ada' });
  expect(heard[0]).toMatchObject({
    unreadCount: 1,
    notification: { docId, threadId: thread.id, actor: { userId: bob }, excerpt: 'What do you think, @Ada?' },
  });
  // The count the event carries is the one the REST inbox reads.
  const adaRest = new CommentsClient({ url: stack.gw1.url, docId, token: () => stack.h.token(ada) });
  expect(await adaRest.unreadCount()).toEqual({ unreadCount: 1 });

  // Closed, it hears nothing more, and its socket is gone from the gateway.
  inbox.close();
  await mention('Still there, @Ada?');
  await new Promise((r) => setTimeout(r, 300));
  expect(heard).toHaveLength(1);
  expect(await adaRest.unreadCount()).toEqual({ unreadCount: 2 });
});

it('lives through the expiry of its token: the gateway closes the socket, the inbox reconnects with a fresh token', async () => {
  const ada = await stack.h.createUser('Ada');
  const bob = await stack.h.createUser('Bob');
  const ttls: number[] = [];
  // The first token lives two seconds; fresh ones after that, as a refresh would give.
  const token = () => {
    const ttl = ttls.length === 0 ? 2 : 300;
    ttls.push(ttl);
    return stack.h.token(ada, ttl);
  };
  const inbox = stack.h.track(new InboxClient({ url: stack.gw1.url, token }));
  const heard: NotificationEvent[] = [];
  let connections = 0;
  inbox.on('notification', (event) => heard.push(event));
  inbox.on('connected', () => connections++);
  inbox.open();
  await until(() => connections === 2, { what: 'connected again after the expiry', timeoutMs: 10_000 });
  expect(ttls.length).toBeGreaterThanOrEqual(2);
  expect(inbox.status).toBe('connected');

  const { mention } = await bobsSide(ada, bob);
  await mention('After the refresh, @Ada');
  await until(() => heard.length === 1, { what: 'the notification after the refresh' });
  expect(heard[0].unreadCount).toBe(1);
});
