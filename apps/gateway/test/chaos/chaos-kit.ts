import { storedOps, until } from '@collab/testing';
import { CollabDocument } from '@collab/client';
import Delta from 'quill-delta';
import type { Socket as ClientSocket } from 'socket.io-client';
import type { GatewayHarness, RunningGateway } from '../harness';

/**
 * Shared pieces of the chaos tests: clients that type while processes and
 * servers fail, and the invariant every scenario ends with.
 *
 * Every edit inserts a unique token (`{tag.n}`) at a token boundary, never
 * inside another token and never deleting, so the final text shows directly
 * whether an edit was lost (its token is missing) or applied twice (its token
 * appears twice). Boundaries stay boundaries under transformation: tokens are
 * inserted whole and nothing is deleted.
 */

/** A small seeded PRNG (mulberry32): a failing run can be replayed from its printed seed. */
export function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export class Typist {
  readonly doc: CollabDocument;
  readonly typed: string[] = [];
  private timer: NodeJS.Timeout | undefined;

  constructor(
    readonly tag: string,
    gateway: Pick<RunningGateway, 'url'>,
    token: () => string,
    docId: string,
    private readonly random: () => number,
  ) {
    this.doc = new CollabDocument({ url: gateway.url, docId, token, retryDelayMs: 100 });
  }

  async open(): Promise<this> {
    await this.doc.open();
    return this;
  }

  /** Types one token at a random token boundary of the local document. */
  typeOne(): void {
    const text = this.doc.text;
    const boundaries = [0];
    for (let i = 0; i < text.length - 1; i++) if (text[i] === '}') boundaries.push(i + 1);
    const at = boundaries[Math.floor(this.random() * boundaries.length)];
    const token = `{${this.tag}.${this.typed.length + 1}}`;
    this.typed.push(token);
    this.doc.submit(new Delta().retain(at).insert(token));
  }

  /** Types one token every `everyMs` until stopped (edits keep going while disconnected, as a person's would). */
  start(everyMs: number): void {
    this.timer = setInterval(() => this.typeOne(), everyMs);
  }

  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }

  close(): void {
    this.stop();
    this.doc.close();
  }
}

export interface Acked {
  readonly clientId: string;
  readonly seq: number;
  readonly version: number;
  readonly token: string;
}

/**
 * A client on a raw socket that records every acknowledgement it gets
 * (clientId, seq, version), to check later that each one is stored under that
 * version. It keeps one operation in flight and resends it unchanged after a
 * retryable refusal or a timeout, as the SDK does.
 */
export class AckRecorder {
  readonly acked: Acked[] = [];
  private running = false;
  private loop: Promise<void> = Promise.resolve();

  constructor(
    private readonly socket: ClientSocket,
    private readonly docId: string,
    readonly clientId: string,
  ) {}

  join(): Promise<unknown> {
    return this.socket.timeout(15_000).emitWithAck('join', { docId: this.docId });
  }

  start(everyMs: number): void {
    this.running = true;
    this.loop = this.run(everyMs);
  }

  /** Stops after the operation in flight is acknowledged. */
  async stop(): Promise<void> {
    this.running = false;
    await this.loop;
  }

  private async run(everyMs: number): Promise<void> {
    let seq = 0;
    let base = 0;
    while (this.running) {
      seq++;
      const token = `{${this.clientId}.${seq}}`;
      // Inserted at 0, always a token boundary; the owner transforms it from `base`.
      const op = {
        docId: this.docId,
        clientId: this.clientId,
        seq,
        baseVersion: base,
        delta: [{ insert: token }],
      };
      for (;;) {
        const reply = (await this.socket
          .timeout(5000)
          .emitWithAck('op', op)
          .catch(() => ({ ok: false, error: { code: 'TIMEOUT' } }))) as
          { ok: true; version: number } | { ok: false; error: { code: string } };
        if (reply.ok) {
          this.acked.push({ clientId: this.clientId, seq, version: reply.version, token });
          base = reply.version;
          break;
        }
        if (!['NOT_OWNER', 'UNAVAILABLE', 'TIMEOUT', 'RATE_LIMITED'].includes(reply.error.code)) {
          throw new Error(`op ${seq} refused with ${reply.error.code}`);
        }
        await new Promise((r) => setTimeout(r, 100));
      }
      await new Promise((r) => setTimeout(r, everyMs));
    }
  }
}

export async function openTypists(
  h: GatewayHarness,
  gateways: Pick<RunningGateway, 'url'>[],
  docId: string,
  userId: string,
  count: number,
  seed: number,
): Promise<Typist[]> {
  const random = seeded(seed);
  const typists: Typist[] = [];
  for (let i = 0; i < count; i++) {
    const typist = h.track(
      new Typist(`t${i}`, gateways[i % gateways.length], () => h.token(userId), docId, random),
    );
    typists.push(await typist.open());
  }
  return typists;
}

function textOf(delta: Delta): string {
  return delta.ops.map((op) => (typeof op.insert === 'string' ? op.insert : '')).join('');
}

/**
 * The invariant every chaos scenario ends with, once the typists stopped:
 * - every client is synced and has the same content;
 * - that content equals a replay of the `operations` table;
 * - versions are contiguous from 1;
 * - every (clientId, seq) appears exactly once, and each client's stored seqs
 *   are exactly 1..n (each operation the SDK sent was acknowledged once it is
 *   synced, and seqs only grow, so a gap would be a lost acknowledged op);
 * - every typed token appears exactly once in the text (nothing lost, nothing
 *   applied twice);
 * - `acked` (acknowledgements seen by raw sockets: clientId, seq, version) are
 *   stored under the version they were acknowledged with.
 */
export async function expectConvergedExactlyOnce(
  h: GatewayHarness,
  docId: string,
  typists: Typist[],
  acked: readonly Acked[] = [],
  syncTimeoutMs = 60_000,
): Promise<{ versions: number; text: string }> {
  for (const t of typists) t.stop();
  await Promise.all(typists.map((t) => t.doc.whenSynced(syncTimeoutMs)));
  const rows = await storedOps(h.dataSource, docId);
  // Everyone has seen the head: no committed op is still on its way to a client.
  await until(() => typists.every((t) => t.doc.version === rows.length), {
    what: 'every client at head',
    timeoutMs: syncTimeoutMs,
  });

  // Compared here and reported as a short summary: a mismatch of thousands of
  // rows or a long text handed to jest's differ can take it many minutes.
  expect(firstGap(rows.map((r) => r.version))).toBeNull();
  const keys = rows.map((r) => `${r.clientId}#${r.seq}`);
  expect(new Set(keys).size).toBe(keys.length);

  const replayed = textOf(
    rows.reduce((doc, r) => doc.compose(new Delta(r.delta as Delta['ops'])), new Delta([{ insert: '\n' }])),
  );
  for (const t of typists) {
    expect({ clientId: t.doc.clientId, mismatch: textMismatch(t.doc.text, replayed) }).toEqual({
      clientId: t.doc.clientId,
      mismatch: null,
    });
  }

  for (const t of typists) {
    const seqs = rows.filter((r) => r.clientId === t.doc.clientId).map((r) => r.seq);
    expect({ clientId: t.doc.clientId, gap: firstGap(seqs) }).toEqual({
      clientId: t.doc.clientId,
      gap: null,
    });
    for (const token of t.typed) {
      expect({ token, count: replayed.split(token).length - 1 }).toEqual({ token, count: 1 });
    }
  }
  const byKey = new Map(rows.map((r) => [`${r.clientId}#${r.seq}`, r.version]));
  for (const a of acked) {
    expect({ ...a, stored: byKey.get(`${a.clientId}#${a.seq}`) }).toEqual({ ...a, stored: a.version });
    expect({ token: a.token, count: replayed.split(a.token).length - 1 }).toEqual({
      token: a.token,
      count: 1,
    });
  }
  return { versions: rows.length, text: replayed };
}

/** Where `values` first leaves 1, 2, 3, ..., or null when it never does. */
function firstGap(values: readonly number[]): { index: number; expected: number; got: number } | null {
  const index = values.findIndex((v, i) => v !== i + 1);
  return index < 0 ? null : { index, expected: index + 1, got: values[index] };
}

/** Where two texts first differ, with a little context, or null when they are equal. */
function textMismatch(
  actual: string,
  expected: string,
): { at: number; actualLength: number; expectedLength: number; actual: string; expected: string } | null {
  if (actual === expected) return null;
  let at = 0;
  while (at < actual.length && at < expected.length && actual[at] === expected[at]) at++;
  const around = (text: string) => JSON.stringify(text.slice(Math.max(0, at - 20), at + 40));
  return {
    at,
    actualLength: actual.length,
    expectedLength: expected.length,
    actual: around(actual),
    expected: around(expected),
  };
}
