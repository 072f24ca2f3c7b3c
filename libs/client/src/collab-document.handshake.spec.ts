import { randomUUID } from 'node:crypto';
import { FakeGateway } from '../test/fake-gateway';
import { CollabDocument } from './collab-document';

/**
 * A handshake no reconnect can get past (the page's origin is not in the
 * gateway's ALLOWED_ORIGINS) must reach the app, not leave it on
 * "Reconnecting..." forever.
 */
describe('CollabDocument handshake refusals', () => {
  const docId = randomUUID();
  const refusal = { code: 'ORIGIN_NOT_ALLOWED', message: 'This page (http://x) may not connect.' };
  let gateway: FakeGateway;

  beforeAll(async () => {
    gateway = await FakeGateway.start({
      join: () => ({
        ok: true,
        docId,
        version: 0,
        content: [{ insert: '\n' }],
        role: 'editor',
        presence: [],
      }),
      op: () => null,
      catchup: () => ({ ok: true, ops: [], hasMore: false }),
    });
    gateway.refuseHandshake = refusal;
  });

  afterAll(async () => {
    await gateway.close();
  });

  it('open() rejects with the refusal', async () => {
    const doc = new CollabDocument({ url: gateway.url, docId, token: () => 't' });
    try {
      await expect(doc.open()).rejects.toMatchObject(refusal);
    } finally {
      doc.close();
    }
  });

  it('opened from a replica: the app hears it once, and the document stops reconnecting', async () => {
    const replica = {
      version: 0,
      nextSeq: 1,
      pending: null,
      document: { ops: [{ insert: '\n' }] },
      role: 'editor' as const,
    };
    const doc = new CollabDocument({ url: gateway.url, docId, token: () => 't', replica });
    const errors: string[] = [];
    const offline = new Promise<void>((resolve) => doc.on('status', (s) => s === 'offline' && resolve()));
    doc.on('error', (error) => errors.push(error.code));
    try {
      await doc.open();
      await offline;
      expect(errors).toEqual(['ORIGIN_NOT_ALLOWED']);
      expect(doc.status).toBe('offline');
    } finally {
      doc.close();
    }
  });
});
