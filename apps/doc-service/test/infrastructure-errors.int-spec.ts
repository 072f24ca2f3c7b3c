import { Writable } from 'node:stream';
import type { DocServiceReply } from '@collab/contracts';
import { startPrivatePostgres, type PrivatePostgres } from '@collab/testing';
import { pino } from 'pino';
import { DocServiceHarness } from './harness';

/**
 * PostgreSQL lost under a doc-service: the inbox answers every request the
 * one classifier's way (UNAVAILABLE: the gateway reroutes, the client
 * resends), logs each cause once and sends its reference in the reply. A
 * private server (never the shared one), stopped for good.
 */
jest.setTimeout(120_000);

let pg: PrivatePostgres;
let h: DocServiceHarness;
const lines: Record<string, unknown>[] = [];

beforeAll(async () => {
  pg = await startPrivatePostgres();
  const url = await pg.createDatabase('ds_infra_errors');
  h = await DocServiceHarness.create('ds_infra_errors', {
    db: { url, name: 'ds_infra_errors', drop: () => pg.destroy() },
  });
});

afterAll(async () => {
  if (h) await h.close();
  else await pg?.destroy();
});

const referenceOf = (reply: DocServiceReply): unknown =>
  reply.ok ? undefined : reply.error.details?.['errorReference'];
const linesWith = (reference: unknown) => lines.filter((line) => line['errorReference'] === reference);

it('answers UNAVAILABLE with an error reference, one log line per cause', async () => {
  const logStream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(JSON.parse(chunk.toString()) as Record<string, unknown>);
      done();
    },
  });
  const ds = await h.startInstance({ DB_POOL_SIZE: '2' }, pino({ level: 'warn' }, logStream));
  const userId = await h.createUser();
  const loaded = await h.createDocument(userId);
  const unloaded = await h.createDocument(userId);
  const op = (docId: string, clientId: string, baseVersion: number) => ({
    type: 'op' as const,
    docId,
    userId,
    clientId,
    seq: 1,
    baseVersion,
    delta: [{ insert: 'x' }],
  });
  expect(await h.request(ds, op(loaded, 'first', 0))).toMatchObject({ ok: true, result: { version: 1 } });
  await pg.stop();

  const [a, b, load, catchup] = await h.requestBatch(ds, [
    // One group commit of the loaded document: it fails once, for both.
    op(loaded, 'a', 1),
    op(loaded, 'b', 1),
    // A document to load, and a catch-up read straight from the log.
    op(unloaded, 'c', 0),
    { type: 'catchup', docId: loaded, fromVersion: 0, limit: 10 },
  ]);
  for (const reply of [a, b, load, catchup]) {
    expect(reply).toMatchObject({ ok: false, error: { code: 'UNAVAILABLE' } });
    expect(referenceOf(reply)).toEqual(expect.stringMatching(/^[0-9a-f-]{36}$/));
  }
  expect(referenceOf(b)).toBe(referenceOf(a));
  expect(new Set([a, load, catchup].map(referenceOf)).size).toBe(3);

  await new Promise((resolve) => setImmediate(resolve));
  for (const reply of [a, load, catchup]) {
    expect(linesWith(referenceOf(reply))).toEqual([
      expect.objectContaining({ level: 40, code: 'UNAVAILABLE', err: expect.anything() as unknown }),
    ]);
  }
});
