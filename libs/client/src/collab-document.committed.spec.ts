import { randomUUID } from 'node:crypto';
import Delta from 'quill-delta';
import { FakeGateway } from '../test/fake-gateway';
import { CollabDocument } from './collab-document';

/**
 * `committed` is what comment anchors move through: every operation the
 * server committed, this client's own (when acknowledged) and others' (live
 * or caught up), once each and in version order.
 */
describe('CollabDocument committed events', () => {
  const docId = randomUUID();
  let gateway: FakeGateway;

  beforeAll(async () => {
    gateway = await FakeGateway.start({
      join: () => ({
        ok: true,
        docId,
        version: 5,
        content: [{ insert: 'hello\n' }],
        role: 'editor',
        presence: [],
      }),
      op: () => ({ ok: true, version: 6 }),
      catchup: () => ({ ok: true, ops: [], hasMore: false }),
    });
  });

  afterAll(async () => {
    await gateway.close();
  });

  it('reports own acknowledged edits and caught-up ones in version order, each once', async () => {
    const doc = new CollabDocument({ url: gateway.url, docId, token: () => 'token', retryDelayMs: 20 });
    const heard: Array<[number, unknown]> = [];
    doc.on('committed', (version, delta) => heard.push([version, delta.ops]));
    try {
      await doc.open();
      doc.submit(new Delta().retain(5).insert('!'));
      await doc.whenSynced(5_000);
      expect(heard).toEqual([[6, [{ retain: 5 }, { insert: '!' }]]]);

      // Two operations of someone else's arrive through the catch-up after a reconnect.
      const other = (version: number, text: string) => ({
        version,
        delta: [{ insert: text }],
        clientId: 'other',
        seq: version,
        userId: 'u-other',
      });
      gateway.answers.join = () => ({
        ok: true,
        docId,
        version: 8,
        content: [{ insert: 'bahello!\n' }],
        role: 'editor',
        presence: [],
      });
      gateway.answers.catchup = () => ({ ok: true, ops: [other(7, 'a'), other(8, 'b')], hasMore: false });
      doc.disconnect();
      doc.reconnect();
      const deadline = Date.now() + 5_000;
      while (doc.version < 8 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
      expect(doc.text).toBe('bahello!\n');
      expect(heard.map(([version]) => version)).toEqual([6, 7, 8]);
    } finally {
      doc.close();
    }
  });
});
