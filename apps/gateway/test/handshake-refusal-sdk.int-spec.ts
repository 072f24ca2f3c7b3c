import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { CollabDocument, type ConnectionStatus, endedForGood } from '@collab/client';
import { PROTOCOL_VERSION, type WireError } from '@collab/contracts';
import { until } from '@collab/testing';
import type { Socket as ClientSocket } from 'socket.io-client';
import { GatewayHarness, type RunningGateway } from './harness';
import { socketServerOf } from './slow-consumer-tools';

jest.setTimeout(60_000);

/**
 * The SDK against the real gateway's handshake refusals that no reconnect
 * can get past: a page served from an address left out of ALLOWED_ORIGINS
 * (apps/gateway/src/limits/origin-allow-list.ts), and an app older than the
 * gateway's protocol (parseHandshakeAuth in libs/contracts). The document
 * must end offline with the coded error marked as final (endedForGood), and
 * never open another connection by itself. Without a doc-service: no
 * handshake here gets as far as a join.
 */

const ALLOWED_ORIGIN = 'https://app.example.test';
/** The header that tells the gateway whose handshake it is (the test's, not the protocol's). */
const TAG = 'x-test-document';

let h: GatewayHarness;
let gateway: RunningGateway;
/** Engine.IO handshakes the gateway received, by the TAG of the document that sent them. */
const handshakes = new Map<string, number>();

beforeAll(async () => {
  h = await GatewayHarness.create('gw_handshake_final');
  gateway = await h.startGateway({ ALLOWED_ORIGINS: ALLOWED_ORIGIN });
  // Every attempt of the SDK opens a new WebSocket (Socket.IO closes the
  // connection of a socket its middleware refused), so this counts them all.
  socketServerOf(gateway).engine.on('connection', (socket: { request: IncomingMessage }) => {
    const tag = String(socket.request.headers[TAG]);
    handshakes.set(tag, (handshakes.get(tag) ?? 0) + 1);
  });
});

afterAll(async () => {
  await h?.close();
});

/** The Socket.IO client under a document (the SDK keeps it to itself; see session-close-sdk.int-spec.ts). */
function socketOf(doc: CollabDocument): ClientSocket {
  return (doc as unknown as { transport: { socket: ClientSocket } }).transport.socket;
}

/**
 * How each refusal comes about. In Node no Origin is sent unless asked for,
 * and the SDK always sends its own PROTOCOL_VERSION, so the test sets on the
 * document's socket what a browser page on another address, or an app
 * loaded before a deploy that changed the protocol, would send.
 */
const REFUSALS = [
  {
    code: 'ORIGIN_NOT_ALLOWED',
    setUp: (socket: ClientSocket, tag: string) => {
      socket.io.opts.extraHeaders = { [TAG]: tag, origin: 'https://elsewhere.example.test' };
    },
  },
  {
    code: 'PROTOCOL_MISMATCH',
    setUp: (socket: ClientSocket, tag: string) => {
      socket.io.opts.extraHeaders = { [TAG]: tag, origin: ALLOWED_ORIGIN };
      const sdkAuth = socket.auth as (cb: (auth: object) => void) => void;
      socket.auth = (cb: (auth: object) => void) =>
        sdkAuth((auth) => cb({ ...auth, protocolVersion: PROTOCOL_VERSION + 1 }));
    },
  },
] as const;

describe.each(REFUSALS)('a handshake refused with $code', ({ code, setUp }) => {
  let docId: string;
  let token: string;

  beforeAll(async () => {
    const owner = await h.createUser('Ada');
    docId = await h.createDocument(owner);
    token = h.token(owner);
  });

  /**
   * A document opened as the web app opens one it has a replica of (open()
   * resolves at once, the connection follows), with the retry back-off at
   * 1 ms: a transport that tried again would do so at once.
   */
  function openFromReplica(tag: string) {
    const replica = {
      version: 0,
      nextSeq: 1,
      pending: null,
      document: { ops: [{ insert: '\n' }] },
      role: 'editor' as const,
    };
    const doc = h.track(
      new CollabDocument({ url: gateway.url, docId, token: () => token, replica, retryDelayMs: 1 }),
    );
    setUp(socketOf(doc), tag);
    const errors: WireError[] = [];
    const statuses: ConnectionStatus[] = [];
    doc.on('error', (error) => errors.push(error));
    doc.on('status', (status) => statuses.push(status));
    return { doc, errors, statuses };
  }

  /**
   * Another document refused the same way, after the one under test: its
   * whole refusal (a WebSocket handshake, the refused connect, the SDK's
   * answer) passes while a retry of the first, due after at most 1 ms,
   * would have reached the gateway.
   */
  async function anotherRefused(): Promise<void> {
    const later = openFromReplica(randomUUID());
    await later.doc.open();
    await until(() => later.errors.length > 0 && later.doc.status === 'offline', {
      what: 'the second document refused',
    });
  }

  it('open() rejects with the code, ended for good, and connects no more', async () => {
    const tag = randomUUID();
    const doc = h.track(new CollabDocument({ url: gateway.url, docId, token: () => token, retryDelayMs: 1 }));
    setUp(socketOf(doc), tag);
    const error = await doc.open().then(
      () => null,
      (e: WireError) => e,
    );
    expect(error).toMatchObject({ code });
    expect(endedForGood(error)).toBe(true);
    expect(doc.status).toBe('offline');
    expect(socketOf(doc).active).toBe(false);
    await anotherRefused();
    expect(handshakes.get(tag)).toBe(1);
    expect(doc.status).toBe('offline');
  });

  it('opened from a replica, the document stays offline with the code and connects no more', async () => {
    const tag = randomUUID();
    const { doc, errors, statuses } = openFromReplica(tag);
    await doc.open();
    await until(() => errors.length > 0 && doc.status === 'offline', { what: `${code} told, offline` });
    expect(errors).toEqual([expect.objectContaining({ code })]);
    expect(endedForGood(errors[0])).toBe(true);
    // Socket.IO itself will not try again either (its socket is no longer active).
    expect(socketOf(doc).active).toBe(false);

    await anotherRefused();

    expect(handshakes.get(tag)).toBe(1);
    expect(errors).toHaveLength(1);
    expect(statuses).toEqual(['offline']);
    expect(doc.status).toBe('offline');
  });
});
