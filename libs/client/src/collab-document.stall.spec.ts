import { randomUUID } from 'node:crypto';
import Delta from 'quill-delta';
import { FakeGateway } from '../test/fake-gateway';
import { CollabDocument } from './collab-document';

type OpAnswer = (seen: number) => { ok: boolean; [key: string]: unknown } | null;

/**
 * The stall backstop (STALL_CHECK_MS) against a real Socket.IO server that
 * stands in for a gateway answering the way no correct gateway does: the
 * paths that end in such a state are bugs, so only a server that misbehaves
 * on purpose can show that the client recovers from one.
 */
describe('CollabDocument stall backstop', () => {
  let gateway: FakeGateway;
  let answer: OpAnswer;
  let opsSeen: { seq: number }[];
  const docId = randomUUID();

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
      op: (body) => {
        opsSeen.push(body);
        return answer(opsSeen.length);
      },
      catchup: () => ({ ok: true, ops: [], hasMore: false }),
    });
  });

  afterAll(async () => {
    await gateway.close();
  });

  beforeEach(() => {
    opsSeen = [];
  });

  async function typeOne(stallCheckMs: number): Promise<CollabDocument> {
    const doc = new CollabDocument({ url: gateway.url, docId, token: () => 'token', stallCheckMs });
    await doc.open();
    doc.submit(new Delta().retain(5).insert('!'));
    return doc;
  }

  const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

  it('resends an operation that nobody will answer or resend, once two checks in a row saw it', async () => {
    // The first answer is one the client cannot use (a version it is past), so
    // no ack, timeout or retry will ever come for that operation.
    answer = (seen) => (seen === 1 ? { ok: true, version: 3 } : { ok: true, version: 6 });
    const doc = await typeOne(50);
    try {
      await doc.whenSynced(5_000);
      expect(opsSeen.map((op) => op.seq)).toEqual([1, 1]);
      expect(doc.version).toBe(6);
      expect(doc.text).toBe('hello!\n');
    } finally {
      doc.close();
    }
  });

  it('does not resend while the answer is on its way', async () => {
    answer = () => ({ ok: true, version: 6, delayMs: 400 });
    const doc = await typeOne(50);
    try {
      await doc.whenSynced(5_000);
      expect(opsSeen).toHaveLength(1);
      expect(doc.version).toBe(6);
    } finally {
      doc.close();
    }
  });

  it('never resends an operation refused for good: it is taken out, and the app is told', async () => {
    answer = () => ({ ok: false, error: { code: 'OP_OUT_OF_RANGE', message: 'out of range' } });
    const doc = await typeOne(50);
    const refusals: string[] = [];
    doc.on('refused', (refusal) => refusals.push(refusal.error.code));
    try {
      await doc.whenSynced(5_000);
      await sleep(400); // eight stall checks: none may resend it
      expect(opsSeen).toHaveLength(1);
      expect(refusals).toEqual(['OP_OUT_OF_RANGE']);
      expect([doc.pendingCount, doc.text, doc.version]).toEqual([0, 'hello\n', 5]);
    } finally {
      doc.close();
    }
  });
});
