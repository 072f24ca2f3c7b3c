import { CollabDocument, CommentsClient } from '@collab/client';
import { transformAnchorThrough } from '@collab/ot';
import Delta from 'quill-delta';
import { type RunningGateway, sleep } from './harness';
import { twoGateways } from './two-gateways';

jest.setTimeout(90_000);

const stack = twoGateways('gw_comments_failover');

it('the document’s owner dies while comments arrive and someone types: no comment lost or stored twice, anchors equal a replay', async () => {
  const ada = await stack.h.createUser('Ada');
  const bob = await stack.h.createUser('Bob');
  const docId = await stack.h.createDocument(ada);
  await stack.h.addMember(docId, bob, 'commenter');
  const doc = stack.h.track(
    new CollabDocument({ url: stack.gw1.url, docId, token: () => stack.h.token(ada) }),
  );
  await doc.open();
  doc.submit(new Delta().insert('one two three four five six\n'));
  await doc.whenSynced();
  const base = doc.version;
  const client = (userId: string, gateway: RunningGateway) =>
    new CommentsClient({ url: gateway.url, docId, token: () => stack.h.token(userId), retryDelayMs: 50 });
  const clients = [client(ada, stack.gw1), client(bob, stack.gw2)];

  let typing = true;
  const typist = (async () => {
    while (typing) {
      doc.submit(new Delta().insert('x')); // at the start: every range moves right
      await sleep(15);
    }
  })();
  const words: [number, number][] = [
    [0, 3],
    [4, 7],
    [8, 13],
    [14, 18],
    [19, 23],
    [24, 27],
  ];
  const writes = (async () => {
    const threads = [];
    for (const [i, [from, to]] of words.entries()) {
      const author = clients[i % 2];
      const thread = await author.startThread({ anchor: { from, to, version: base }, body: `on word ${i}` });
      await clients[(i + 1) % 2].reply(thread.id, { body: `reply ${i}` });
      threads.push(thread);
      await sleep(100);
    }
    return threads;
  })();
  await sleep(150);
  const owner = stack.h.docServices.find((d) => d.instanceId === stack.h.ownerOf(docId))!;
  await stack.h.killDocService(owner);
  const threads = await writes;
  typing = false;
  await typist;
  await doc.whenSynced(30_000);

  const listed = await clients[0].list();
  expect(listed.threads.map((t) => t.id).sort()).toEqual(threads.map((t) => t.id).sort());
  for (const t of listed.threads) expect(t.comments.map((c) => c.body)).toHaveLength(2);
  const [{ n }] = (await stack.h.dataSource.query(
    'SELECT count(*)::int AS n FROM comments c JOIN comment_threads t ON t.id = c.thread_id WHERE t.document_id = $1',
    [docId],
  )) as { n: number }[];
  expect(n).toBe(words.length * 2);

  const rows: { version: string; delta: Delta['ops'] }[] = await stack.h.dataSource.query(
    'SELECT version, delta FROM operations WHERE document_id = $1 ORDER BY version',
    [docId],
  );
  const log = rows.map((r) => ({ version: Number(r.version), delta: r.delta }));
  expect(listed.version).toBe(log.length);
  const text = doc.text;
  for (const thread of threads) {
    const anchor = listed.threads.find((t) => t.id === thread.id)!.anchor;
    expect(anchor).toEqual(transformAnchorThrough(thread.anchor, log));
    expect(text.slice(anchor.from, anchor.to)).toBe(thread.quotedText);
  }
});
