import { randomUUID } from 'node:crypto';
import { createServer, type Server as HttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import Delta from 'quill-delta';
import { Server } from 'socket.io';
import { CollabDocument } from './collab-document';

type OpAnswer = (seen: number) => { ok: boolean; [key: string]: unknown } | null;

/**
 * The stall backstop (STALL_CHECK_MS) against a real Socket.IO server that
 * stands in for a gateway answering the way no correct gateway does: the
 * paths that end in such a state are bugs, so only a server that misbehaves
 * on purpose can show that the client recovers from one.
 */
describe('CollabDocument stall backstop', () => {
  let http: HttpServer;
  let io: Server;
  let url: string;
  let answer: OpAnswer;
  let opsSeen: { seq: number }[];
  const docId = randomUUID();

  beforeAll(async () => {
    http = createServer();
    io = new Server(http);
    io.on('connection', (socket) => {
      socket.on('join', (_body: unknown, ack: (reply: object) => void) =>
        ack({ ok: true, docId, version: 5, content: [{ insert: 'hello\n' }], role: 'editor', presence: [] }),
      );
      socket.on('op', (body: { seq: number }, ack: (reply: object) => void) => {
        opsSeen.push(body);
        const reply = answer(opsSeen.length);
        if (reply) setTimeout(() => ack(reply), reply['delayMs'] as number | undefined);
      });
    });
    await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    await io.close();
  });

  beforeEach(() => {
    opsSeen = [];
  });

  async function typeOne(stallCheckMs: number): Promise<CollabDocument> {
    const doc = new CollabDocument({ url, docId, token: () => 'token', stallCheckMs });
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

  it('leaves an operation refused for good as it is: the app was told, resending cannot help', async () => {
    answer = () => ({ ok: false, error: { code: 'OP_OUT_OF_RANGE', message: 'out of range' } });
    const doc = await typeOne(50);
    const errors: string[] = [];
    doc.on('error', (error) => errors.push(error.code));
    try {
      await sleep(400);
      expect(opsSeen).toHaveLength(1);
      expect(errors).toEqual(['OP_OUT_OF_RANGE']);
      expect(doc.pendingCount).toBe(1);
    } finally {
      doc.close();
    }
  });
});
