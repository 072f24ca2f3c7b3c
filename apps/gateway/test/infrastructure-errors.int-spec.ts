import { Writable } from 'node:stream';
import { PROTOCOL_VERSION } from '@collab/contracts';
import { startPrivatePostgres, type PrivatePostgres } from '@collab/testing';
import type { INestApplication } from '@nestjs/common';
import { pino } from 'pino';
import { io, type Socket as ClientSocket } from 'socket.io-client';
import { loadConfig } from '../src/config/env';
import { createGatewayApp } from '../src/gateway.app';
import { GatewayHarness, JWT_SECRET } from './harness';

/**
 * PostgreSQL lost under the gateway: REST and the socket answer the same
 * cause the same way (UNAVAILABLE, retryable), each logs it once and sends
 * the log line's reference to the client. A private server (never the
 * shared one, which other runs use), stopped for good.
 */
jest.setTimeout(120_000);

let pg: PrivatePostgres;
let h: GatewayHarness;
let app: INestApplication;
let url: string;
const lines: Record<string, unknown>[] = [];
const sockets: ClientSocket[] = [];

beforeAll(async () => {
  pg = await startPrivatePostgres();
  const dbUrl = await pg.createDatabase('infra_errors');
  h = await GatewayHarness.create('infra_errors', {
    db: { url: dbUrl, name: 'infra_errors', drop: () => pg.destroy() },
  });
  const config = loadConfig({
    DATABASE_URL: dbUrl,
    REDIS_URL: h.infra.url,
    REDIS_PREFIX: h.infra.prefix,
    JWT_SECRET,
    DB_POOL_SIZE: '2',
    LOG_LEVEL: 'warn',
  });
  const logStream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(JSON.parse(chunk.toString()) as Record<string, unknown>);
      done();
    },
  });
  app = await createGatewayApp(config, pino({ level: 'warn' }, logStream));
  await app.listen(0, '127.0.0.1');
  url = `http://127.0.0.1:${(app.getHttpServer().address() as { port: number }).port}`;
});

afterAll(async () => {
  for (const socket of sockets) socket.close();
  await app?.close();
  if (h) await h.close();
  else await pg?.destroy();
});

/** The log lines that carry `reference`. */
const linesWith = (reference: unknown) => lines.filter((line) => line['errorReference'] === reference);

async function connect(userId: string): Promise<ClientSocket> {
  const socket = io(url, {
    auth: { token: h.token(userId), protocolVersion: PROTOCOL_VERSION },
    transports: ['websocket'],
    reconnection: false,
    forceNew: true,
  });
  sockets.push(socket);
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', resolve);
    socket.once('connect_error', reject);
  });
  return socket;
}

it('answers UNAVAILABLE with an error reference on REST and on the socket, each logged once', async () => {
  const userId = await h.createUser();
  const docId = await h.createDocument(userId);
  const socket = await connect(userId);
  await pg.stop();

  const rest = await fetch(`${url}/api/documents`, {
    headers: { authorization: `Bearer ${h.token(userId)}` },
  });
  const restBody = (await rest.json()) as { error: { code: string; details?: { errorReference?: string } } };
  expect(rest.status).toBe(503);
  expect(restBody.error.code).toBe('UNAVAILABLE');
  const restReference = restBody.error.details?.errorReference;
  expect(restReference).toEqual(expect.stringMatching(/^[0-9a-f-]{36}$/));

  const ack = (await socket.timeout(30_000).emitWithAck('join', { docId })) as {
    ok: boolean;
    error?: { code: string; details?: { errorReference?: string } };
  };
  expect(ack).toMatchObject({ ok: false, error: { code: 'UNAVAILABLE' } });
  const socketReference = ack.error?.details?.errorReference;
  expect(socketReference).toEqual(expect.stringMatching(/^[0-9a-f-]{36}$/));
  expect(socketReference).not.toBe(restReference);

  // Pino writes asynchronously: the lines are there once the stream had its turn.
  await new Promise((resolve) => setImmediate(resolve));
  expect(linesWith(restReference)).toEqual([
    expect.objectContaining({ level: 40, code: 'UNAVAILABLE', err: expect.anything() as unknown }),
  ]);
  expect(linesWith(socketReference)).toEqual([
    expect.objectContaining({
      level: 40,
      code: 'UNAVAILABLE',
      event: 'join',
      err: expect.anything() as unknown,
    }),
  ]);
});
