import { randomUUID } from 'node:crypto';
import type { SessionClosed, WireError } from '@collab/contracts';
import { until } from '@collab/testing';
import type { Socket } from 'socket.io';
import { FakeGateway } from '../test/fake-gateway';
import { CollabDocument } from './collab-document';
import type { ConnectionStatus } from './collab-document.types';
import { endedForGood } from './transport/transport';

/**
 * What a document does when the gateway closes its socket with a
 * `session:closed`: it comes back by itself when the close asks for a
 * reconnect, and otherwise says offline and why, not "reconnecting" for
 * ever. With the real gateway's closes, see
 * apps/gateway/test/session-close-sdk.int-spec.ts.
 */
describe('CollabDocument closed by the server', () => {
  const docId = randomUUID();
  let gateway: FakeGateway;
  /** The socket of the last join. */
  let joinedOn: Socket | undefined;

  beforeAll(async () => {
    gateway = await FakeGateway.start({
      join: (_body, socket) => {
        joinedOn = socket;
        return { ok: true, docId, version: 0, content: [{ insert: '\n' }], role: 'editor', presence: [] };
      },
      op: () => ({ ok: true, version: 1 }),
      catchup: () => ({ ok: true, ops: [], hasMore: false }),
    });
  });

  afterAll(async () => {
    await gateway.close();
  });

  function open() {
    const doc = new CollabDocument({ url: gateway.url, docId, token: () => 't', retryDelayMs: 20 });
    const statuses: ConnectionStatus[] = [];
    const errors: WireError[] = [];
    doc.on('status', (status) => statuses.push(status));
    doc.on('error', (error) => errors.push(error));
    return { doc, statuses, errors };
  }

  function closeSession(reason: SessionClosed['reason']): void {
    joinedOn!.emit('session:closed', { reason, message: `closed by the test: ${reason}` });
    joinedOn!.disconnect(true);
  }

  it('closed as a slow consumer, it reconnects and joins again', async () => {
    const { doc, statuses, errors } = open();
    try {
      await doc.open();
      const joins = gateway.bodies('join').length;
      closeSession('SLOW_CONSUMER');
      await until(() => gateway.bodies('join').length === joins + 1 && doc.status === 'connected', {
        what: 'joined again',
      });
      expect(statuses).toEqual(['connected', 'reconnecting', 'connected']);
      expect(errors).toEqual([]);
    } finally {
      doc.close();
    }
  });

  it.each([
    ['SIGNED_OUT', 'UNAUTHENTICATED'],
    ['TOO_MANY_SOCKETS', 'TOO_MANY_SOCKETS'],
    ['PROTOCOL_MISMATCH', 'PROTOCOL_MISMATCH'],
  ] as const)('closed for %s, it goes offline and tells the app (%s)', async (reason, code) => {
    const { doc, statuses, errors } = open();
    try {
      await doc.open();
      const joins = gateway.bodies('join').length;
      closeSession(reason);
      await until(() => doc.status === 'offline', { what: 'offline' });
      expect(statuses).toEqual(['connected', 'offline']);
      expect(errors).toEqual([expect.objectContaining({ code, details: { reason, forGood: true } })]);
      expect(endedForGood(errors[0])).toBe(true);
      await new Promise((r) => setTimeout(r, 300));
      expect(gateway.bodies('join')).toHaveLength(joins);
    } finally {
      doc.close();
    }
  });

  it('opened from a replica, a handshake refused for a reason retrying cannot fix leaves it offline, not reconnecting', async () => {
    const replica = { version: 0, nextSeq: 1, pending: null, document: { ops: [{ insert: '\n' }] } };
    const doc = new CollabDocument({
      url: gateway.url,
      docId,
      token: () => 't',
      replica: { ...replica, role: 'editor' },
    });
    const errors: WireError[] = [];
    doc.on('error', (error) => errors.push(error));
    gateway.refuseHandshake = { code: 'UNAUTHENTICATED', message: 'unknown token' };
    try {
      await doc.open();
      await until(() => errors.length === 1, { what: 'the refusal told' });
      expect(doc.status).toBe('offline');
      expect(errors[0]).toMatchObject({ code: 'UNAUTHENTICATED' });
      // Another token may pass: not for good, so an app may reconnect by itself.
      expect(endedForGood(errors[0])).toBe(false);
      // reconnect() is the way back, once the server allows it.
      gateway.refuseHandshake = undefined;
      doc.reconnect();
      await until(() => doc.status === 'connected', { what: 'connected' });
    } finally {
      gateway.refuseHandshake = undefined;
      doc.close();
    }
  });
});
