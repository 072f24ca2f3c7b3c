import { scrapeMetric, until } from '@collab/testing';
import { CollabDocument } from '@collab/client';
import Delta from 'quill-delta';
import { GatewayHarness, type RunningGateway } from './harness';

/**
 * A client that reconnects while no doc-service can serve its document (an
 * owner just killed, the ring empty) has its join refused with a retryable
 * code. A connected socket that is not joined gets no broadcasts and has
 * every operation refused, and nothing reconnects it, so the SDK must try the
 * join again by itself; otherwise the edits it holds never leave it. Found by
 * the chaos soak (a gateway restarted while a doc-service was being killed).
 */
jest.setTimeout(60_000);

let h: GatewayHarness;
let gateway: RunningGateway;

beforeAll(async () => {
  h = await GatewayHarness.create('rejoin');
  await h.startDocService();
  gateway = await h.startGateway();
  await h.settle();
});

afterAll(async () => {
  await h?.close();
});

it('joins again after a retryable refusal of its re-join, and sends what it held', async () => {
  const user = await h.createUser();
  const docId = await h.createDocument(user);
  const doc = h.track(
    new CollabDocument({ url: gateway.url, docId, token: () => h.token(user), retryDelayMs: 100 }),
  );
  try {
    await doc.open();
    doc.submit(new Delta().insert('a'));
    await doc.whenSynced();

    // No doc-service left: a join is answered UNAVAILABLE once the gateway's attempts run out.
    await h.stopDocService(h.docServices[0]);
    await h.settle();
    const refusedBefore = await scrapeMetric(gateway.url, 'collab_joins_total{outcome="UNAVAILABLE"}');
    doc.disconnect();
    doc.submit(new Delta().insert('b'));
    doc.reconnect();
    await until(
      async () =>
        (await scrapeMetric(gateway.url, 'collab_joins_total{outcome="UNAVAILABLE"}')) > refusedBefore,
      {
        what: 'a join refused UNAVAILABLE',
        timeoutMs: 20_000,
      },
    );

    await h.startDocService();
    await h.settle();
    await doc.whenSynced(20_000);
    expect(doc.status).toBe('connected');
    expect(doc.text).toBe('ba\n');
    expect(await h.storedOps(docId)).toEqual([
      { version: 1, clientId: doc.clientId, seq: 1 },
      { version: 2, clientId: doc.clientId, seq: 2 },
    ]);
  } finally {
    doc.close();
  }
});

it('keeps a first open() waiting through retryable refusals of its join, and opens once an owner is back', async () => {
  const user = await h.createUser();
  const docId = await h.createDocument(user);
  for (const ds of [...h.docServices]) await h.stopDocService(ds);
  await h.settle();
  const refusedBefore = await scrapeMetric(gateway.url, 'collab_joins_total{outcome="UNAVAILABLE"}');
  const doc = h.track(
    new CollabDocument({ url: gateway.url, docId, token: () => h.token(user), retryDelayMs: 100 }),
  );
  try {
    let opened = false;
    const opening = doc.open().then(() => (opened = true));
    await until(
      async () =>
        (await scrapeMetric(gateway.url, 'collab_joins_total{outcome="UNAVAILABLE"}')) > refusedBefore,
      {
        what: 'a join refused UNAVAILABLE',
        timeoutMs: 20_000,
      },
    );
    expect(opened).toBe(false);

    await h.startDocService();
    await h.settle();
    await opening;
    expect(doc.status).toBe('connected');
    doc.submit(new Delta().insert('x'));
    await doc.whenSynced(20_000);
    expect(await h.storedOps(docId)).toEqual([{ version: 1, clientId: doc.clientId, seq: 1 }]);
  } finally {
    doc.close();
  }
});
