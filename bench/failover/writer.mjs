// A client on a raw Socket.IO connection that writes to documents one
// operation at a time and remembers every acknowledgement (document, seq,
// version), so the run can check afterwards that each one is stored exactly
// once under that version. It resends a refused or unanswered operation
// unchanged, as the client SDK does: the owner dedupes on (clientId, seq), so
// a resend is never applied twice. A lost connection (not expected, but a
// loaded machine is not a lab) is reconnected and every document joined
// again before the next attempt; `reconnects` counts them.
import { createRequire } from 'node:module';
import { sleep } from './cluster.mjs';

const require = createRequire(import.meta.url);
const { io } = require('socket.io-client');
const { PROTOCOL_VERSION, RETRYABLE_ERROR_CODES } = require('../../libs/contracts/dist/index.js');

export class Writer {
  /** Every acknowledged operation: { docId, clientId, seq, version, token }. */
  acked = [];
  #socket;
  reconnects = 0;
  #docs = new Map(); // docId -> { seq, version }
  /** Resolves while connected and joined on every document; replaced when the connection drops. */
  #ready = Promise.resolve();
  #rejoined = () => undefined;
  #everConnected = false;
  #closing = false;

  constructor(url, token, clientId, retryMs, log) {
    this.clientId = clientId;
    this.retryMs = retryMs;
    this.#socket = io(url, {
      auth: { token, protocolVersion: PROTOCOL_VERSION },
      transports: ['websocket'],
      reconnectionDelay: 100,
      reconnectionDelayMax: 1000,
      forceNew: true,
    });
    this.#socket.on('session:closed', (closed) => log(`${clientId}: session closed (${closed.reason})`));
    this.#socket.on('disconnect', (reason) => {
      if (this.#closing) return;
      log(`${clientId} lost its connection (${reason}); reconnecting`);
      this.#ready = new Promise((resolve) => (this.#rejoined = resolve));
      // Socket.IO retries by itself only after a transport loss, not after the server's disconnect.
      if (reason === 'io server disconnect') this.#socket.connect();
    });
    this.#socket.on('connect', () => {
      if (!this.#everConnected) {
        this.#everConnected = true;
        return;
      }
      this.reconnects += 1;
      void this.#rejoinAll();
    });
  }

  async #rejoinAll() {
    for (const docId of this.#docs.keys()) {
      for (;;) {
        const reply = await this.#socket
          .timeout(30_000)
          .emitWithAck('join', { docId })
          .catch(() => ({ ok: false }));
        if (reply.ok) break;
        await sleep(this.retryMs);
      }
    }
    this.#rejoined();
  }

  connect() {
    return new Promise((resolve, reject) => {
      this.#socket.once('connect', resolve);
      this.#socket.once('connect_error', reject);
    });
  }

  async join(docId) {
    const reply = await this.#socket.timeout(30_000).emitWithAck('join', { docId });
    if (!reply.ok) throw new Error(`join ${docId}: ${reply.error.code}`);
    this.#docs.set(docId, { seq: 0, version: reply.version });
  }

  /**
   * Submits one operation (a unique token inserted at 0, based on the last
   * version this writer knows) and resends it until it is acknowledged.
   * Resolves with its version, when the acknowledgement arrived
   * (performance.now()) and how many attempts were refused or timed out.
   */
  async write(docId) {
    const doc = this.#docs.get(docId);
    doc.seq += 1;
    const token = `{${this.clientId}.${doc.seq}}`;
    const op = {
      docId,
      clientId: this.clientId,
      seq: doc.seq,
      baseVersion: doc.version,
      delta: [{ insert: token }],
    };
    for (let refused = 0; ; refused++) {
      await this.#ready;
      const reply = await this.#socket
        .timeout(10_000)
        .emitWithAck('op', op)
        .catch(() => ({ ok: false, error: { code: 'TIMEOUT' } }));
      if (reply.ok) {
        const at = performance.now();
        doc.version = reply.version;
        this.acked.push({ docId, clientId: this.clientId, seq: doc.seq, version: reply.version, token });
        return { version: reply.version, at, refused };
      }
      // NOT_JOINED: the connection was replaced and the re-join is under way.
      if (!RETRYABLE_ERROR_CODES.has(reply.error.code) && reply.error.code !== 'NOT_JOINED') {
        throw new Error(`op ${doc.seq} on ${docId} refused with ${reply.error.code}`);
      }
      await sleep(this.retryMs);
    }
  }

  close() {
    this.#closing = true;
    this.#socket.disconnect();
  }
}

/** Runs `task` over `items`, at most `parallel` at a time; resolves with the results in order. */
export async function inParallel(items, parallel, task) {
  const results = new Array(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(parallel, items.length) }, async () => {
      while (next < items.length) {
        const i = next++;
        results[i] = await task(items[i], i);
      }
    }),
  );
  return results;
}
