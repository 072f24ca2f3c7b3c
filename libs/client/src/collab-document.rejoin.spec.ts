import { randomUUID } from 'node:crypto';
import Delta from 'quill-delta';
import { FakeGateway } from '../test/fake-gateway';
import { CollabDocument } from './collab-document';

/**
 * What a failover looks like from the SDK: a gateway that does not know the
 * connection's join yet (or forgot it), and a log that refuses a page for a
 * moment. Nothing is lost in either, so the app must hear no error, and
 * every edit must land once.
 */
describe('CollabDocument across a rejoin', () => {
  const docId = randomUUID();
  const other = (version: number, text: string) => ({
    version,
    delta: [{ insert: text }],
    clientId: 'other',
    seq: version,
    userId: 'u-other',
  });
  let gateway: FakeGateway;
  let joinAnswered: number;

  beforeAll(async () => {
    gateway = await FakeGateway.start({ join: () => null, op: () => null, catchup: () => null });
  });

  afterAll(async () => {
    await gateway.close();
  });

  beforeEach(() => {
    gateway.received.length = 0;
    joinAnswered = 0;
    gateway.answers.join = () => {
      joinAnswered++;
      return { ok: true, docId, version: 5, content: [{ insert: 'hello\n' }], role: 'editor', presence: [] };
    };
    gateway.answers.catchup = () => ({ ok: true, ops: [], hasMore: false });
  });

  function open(extra: Partial<ConstructorParameters<typeof CollabDocument>[0]> = {}) {
    const doc = new CollabDocument({
      url: gateway.url,
      docId,
      token: () => 'token',
      retryDelayMs: 20,
      ...extra,
    });
    const heard: string[] = [];
    doc.on('error', (error) => heard.push(`error ${error.code}`));
    doc.on('refused', (refusal) => heard.push(`refused ${refusal.error.code}`));
    return { doc, heard };
  }

  it('NOT_JOINED is not final: the client joins again and the join resends the edit', async () => {
    let ops = 0;
    gateway.answers.op = () =>
      ++ops === 1
        ? { ok: false, error: { code: 'NOT_JOINED', message: 'Join the document first.' } }
        : { ok: true, version: 6 };
    const { doc, heard } = open();
    try {
      await doc.open();
      doc.submit(new Delta().retain(5).insert('!'));
      await doc.whenSynced(5_000);
      expect(heard).toEqual([]);
      expect(joinAnswered).toBe(2);
      expect(gateway.bodies<{ seq: number }>('op').map((op) => op.seq)).toEqual([1, 1]);
      expect([doc.version, doc.text]).toEqual([6, 'hello!\n']);
    } finally {
      doc.close();
    }
  });

  it('sends nothing on a new connection before its join is answered', async () => {
    gateway.answers.op = () => ({ ok: true, version: 6 });
    const { doc, heard } = open();
    try {
      await doc.open();
      doc.disconnect();
      const join = gateway.answers.join;
      let joinAcked = false;
      gateway.answers.join = (body, socket) => {
        // Registered before the gateway's own timer of the same delay: it fires first.
        setTimeout(() => (joinAcked = true), 300);
        return { ...join(body, socket)!, delayMs: 300 };
      };
      const opArrivedAfterJoin: boolean[] = [];
      gateway.answers.op = () => {
        opArrivedAfterJoin.push(joinAcked);
        return { ok: true, version: 6 };
      };
      doc.reconnect();
      // Typed once the new connection asked to join, before its answer came.
      const deadline = Date.now() + 5_000;
      while (gateway.bodies('join').length < 2) {
        if (Date.now() > deadline) throw new Error('the second join never came');
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
      doc.submit(new Delta().insert('>'));
      await doc.whenSynced(5_000);
      expect(heard).toEqual([]);
      expect(opArrivedAfterJoin).toEqual([true]);
      expect(doc.text).toBe('>hello\n');
    } finally {
      doc.close();
    }
  });

  it('restores an outbox through a refused catch-up page: the page is asked again, nothing applies twice', async () => {
    // The server went from "hello\n" (version 5) to "bahello\n" (version 7) meanwhile.
    gateway.answers.join = () => {
      joinAnswered++;
      return {
        ok: true,
        docId,
        version: 7,
        content: [{ insert: 'bahello\n' }],
        role: 'editor',
        presence: [],
      };
    };
    let pages = 0;
    gateway.answers.catchup = () =>
      ++pages === 1
        ? { ok: false, error: { code: 'UNAVAILABLE', message: 'The service is temporarily unavailable.' } }
        : { ok: true, ops: [other(6, 'a'), other(7, 'b')], hasMore: false };
    gateway.answers.op = () => ({ ok: true, version: 8 });
    const pending = {
      version: 5,
      nextSeq: 4,
      state: {
        inFlight: {
          clientId: 'tab',
          seq: 3,
          baseVersion: 5,
          delta: { ops: [{ retain: 5 }, { insert: 'X' }] },
        },
      },
    };
    const { doc, heard } = open({ clientId: 'tab', pending });
    try {
      await doc.open();
      expect(doc.text).toBe('bahelloX\n');
      await doc.whenSynced(5_000);
      expect(heard).toEqual([]);
      expect(pages).toBe(2);
      // Resent exactly as it was made, from its own base.
      expect(gateway.bodies('op')).toEqual([
        { docId, clientId: 'tab', seq: 3, baseVersion: 5, delta: [{ retain: 5 }, { insert: 'X' }] },
      ]);
      expect([doc.version, doc.text]).toEqual([8, 'bahelloX\n']);
    } finally {
      doc.close();
    }
  });
});
