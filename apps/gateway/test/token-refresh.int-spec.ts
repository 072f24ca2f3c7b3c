import { until } from '@collab/testing';
import { CollabDocument } from '@collab/client';
import Delta from 'quill-delta';
import { GatewayHarness, type RunningGateway } from './harness';

jest.setTimeout(60_000);

let h: GatewayHarness;
let gateway: RunningGateway;
const docs: CollabDocument[] = [];

beforeAll(async () => {
  h = await GatewayHarness.create('gw_refresh');
  await h.startDocService();
  gateway = await h.startGateway();
  await h.settle();
});
afterAll(async () => {
  for (const doc of docs) doc.close();
  await h?.close();
});

describe('an expired token on a live socket', () => {
  it('is closed by the server, and the SDK reconnects with a fresh token and keeps editing', async () => {
    const userId = await h.createUser();
    const docId = await h.createDocument(userId);
    const issued: number[] = [];
    // The first token lives two seconds; the app hands out fresh ones after that (as a refresh would).
    const token = () => {
      const ttl = issued.length === 0 ? 2 : 300;
      issued.push(ttl);
      return h.token(userId, ttl);
    };
    const doc = h.track(new CollabDocument({ url: gateway.url, docId, token }));
    docs.push(doc);
    await doc.open();
    doc.submit(new Delta().insert('before '));
    await doc.whenSynced();

    const statuses: string[] = [];
    doc.on('status', (status) => statuses.push(status));
    await until(() => issued.length >= 2, { what: 'a second token issued', timeoutMs: 10_000 });
    await until(() => doc.status === 'connected', {
      what: 'the document connected again',
      timeoutMs: 10_000,
    });
    expect(statuses).toContain('reconnecting');

    doc.submit(new Delta().retain(7).insert('after'));
    await doc.whenSynced();
    expect(doc.text).toBe('before after\n');
    expect((await h.storedOps(docId)).length).toBe(2);
  });
});
