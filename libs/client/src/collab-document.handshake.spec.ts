import { randomUUID } from 'node:crypto';
import type { WireError } from '@collab/contracts';
import { FakeGateway } from '../test/fake-gateway';
import { CollabDocument } from './collab-document';
import type { ConnectionStatus } from './collab-document.types';
import { endedForGood } from './transport/transport';

/**
 * A handshake no reconnect can get past (the page's origin is not in the
 * gateway's ALLOWED_ORIGINS, the app speaks another protocol) must reach
 * the app as final, not leave it on "Reconnecting..." forever. Against the
 * real gateway: apps/gateway/test/handshake-refusal-sdk.int-spec.ts.
 */
describe.each([
  { code: 'ORIGIN_NOT_ALLOWED', message: 'This page (http://x) may not connect.' },
  { code: 'PROTOCOL_MISMATCH', message: 'expected 2' },
])('CollabDocument handshake refused with $code', (refusal) => {
  const docId = randomUUID();
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

  it('open() rejects with the refusal, ended for good', async () => {
    const doc = new CollabDocument({ url: gateway.url, docId, token: () => 't' });
    try {
      const error = await doc.open().then(
        () => null,
        (e: WireError) => e,
      );
      expect(error).toMatchObject(refusal);
      expect(endedForGood(error)).toBe(true);
      expect(doc.status).toBe('offline');
    } finally {
      doc.close();
    }
  });

  it('opened from a replica: the app hears it once, ended for good, and the document stays offline', async () => {
    const replica = {
      version: 0,
      nextSeq: 1,
      pending: null,
      document: { ops: [{ insert: '\n' }] },
      role: 'editor' as const,
    };
    const doc = new CollabDocument({ url: gateway.url, docId, token: () => 't', replica });
    const errors: WireError[] = [];
    const statuses: ConnectionStatus[] = [];
    const offline = new Promise<void>((resolve) => doc.on('status', (s) => s === 'offline' && resolve()));
    doc.on('error', (error) => errors.push(error));
    doc.on('status', (status) => statuses.push(status));
    try {
      await doc.open();
      await offline;
      expect(errors).toEqual([expect.objectContaining(refusal)]);
      expect(endedForGood(errors[0])).toBe(true);
      expect(statuses).toEqual(['offline']);
    } finally {
      doc.close();
    }
  });
});
