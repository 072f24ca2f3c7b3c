import { randomUUID } from 'node:crypto';
import Delta from 'quill-delta';
import { MemoryTransport } from '../test/memory-transport';
import { CollabDocument } from './collab-document';

/**
 * The committed stream in memory (MemoryTransport): our own operation's ack
 * overtakes a broadcast of an operation committed before it, as it can when
 * acks and broadcasts reach the gateway over different connections.
 */
describe('CollabDocument committed stream, in memory', () => {
  const docId = randomUUID();
  const theirs = {
    docId,
    version: 1,
    delta: [{ insert: 'A' }],
    clientId: 'other',
    seq: 1,
    userId: 'u-other',
  };
  let transport: MemoryTransport;
  let catchups: number[];
  /** Our operation as the log holds it (transformed past theirs). */
  let ours: typeof theirs | undefined;

  beforeEach(() => {
    catchups = [];
    ours = undefined;
    transport = new MemoryTransport((event, payload) => {
      switch (event) {
        case 'join':
          return {
            ok: true,
            docId,
            version: 0,
            content: [{ insert: 'hello\n' }],
            role: 'editor',
            presence: [],
          };
        case 'op': {
          // Ours committed after theirs: version 2.
          const { clientId, seq } = payload as { clientId: string; seq: number };
          ours = {
            docId,
            version: 2,
            delta: [{ retain: 6 }, { insert: '!' }] as never,
            clientId,
            seq,
            userId: 'u-me',
          };
          return { ok: true, version: 2 };
        }
        case 'catchup':
          catchups.push((payload as { fromVersion: number }).fromVersion);
          return { ok: true, ops: [theirs, ours!], hasMore: false };
        default:
          return { ok: true };
      }
    });
  });

  async function typed(): Promise<CollabDocument> {
    const doc = new CollabDocument({ url: 'memory', docId, token: () => 't', transport });
    await doc.open();
    doc.submit(new Delta().retain(5).insert('!'));
    return doc;
  }

  it('waits for the broadcast the ack overtook, then applies both in version order', async () => {
    const doc = await typed();
    try {
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect(doc.version).toBe(0); // the ack names version 2; version 1 is still on its way
      transport.push('ops', { docId, ops: [theirs] });
      await doc.whenSynced(2_000);
      expect(catchups).toEqual([]);
      expect([doc.version, doc.text]).toEqual([2, 'Ahello!\n']);
    } finally {
      doc.close();
    }
  });

  it('reads a broadcast that never comes from the log once the gap wait is over', async () => {
    const doc = await typed();
    try {
      await doc.whenSynced(5_000);
      expect(catchups).toEqual([0]);
      expect([doc.version, doc.text]).toEqual([2, 'Ahello!\n']);
    } finally {
      doc.close();
    }
  });
});
