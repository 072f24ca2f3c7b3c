import { ChunkedDocument, type VersionedOp } from '@collab/ot';
import {
  FenceViolationError,
  FenceViolationReason,
  type NewOperation,
  type StoredOperation,
} from '@collab/persistence';
import Delta from 'quill-delta';
import type { DocumentStorePort } from './actor-ports';
import type { Submission } from './actor-work';
import { DocumentActor } from './document.actor';
import type { RecentOp } from './document-store';

/**
 * An operation log in memory with the two guarantees of the real one: an
 * append must continue the head, and a (user, clientId, seq) key is unique
 * (FenceViolationError otherwise, nothing written). Counts the dedupe lookups.
 */
class LogStore implements DocumentStorePort {
  readonly rows: NewOperation[] = [];
  lookups = 0;
  appends = 0;
  /** While set, appends wait for `release` (a write in flight). */
  private held: (() => void)[] | undefined;

  hold(): void {
    this.held = [];
  }

  release(): void {
    const held = this.held ?? [];
    this.held = undefined;
    for (const resume of held) resume();
  }

  async append(rows: readonly NewOperation[]): Promise<void> {
    this.appends++;
    const held = this.held;
    if (held) await new Promise<void>((resume) => held.push(resume));
    const versions = { first: rows[0].version, last: rows[rows.length - 1].version };
    if (versions.first !== this.rows.length + 1) {
      throw new FenceViolationError(FenceViolationReason.HEAD_MOVED, 'doc', versions);
    }
    const taken = (r: NewOperation) =>
      this.rows.some((s) => s.userId === r.userId && s.clientId === r.clientId && s.seq === r.seq);
    if (rows.some(taken)) {
      throw new FenceViolationError(
        FenceViolationReason.CLIENT_SEQ_TAKEN,
        'doc',
        versions,
        'uq_operations_client_seq',
      );
    }
    this.rows.push(...rows);
  }

  async findBySeq(
    _docId: string,
    userId: string,
    clientId: string,
    seq: number,
  ): Promise<StoredOperation | null> {
    this.lookups++;
    const row = this.rows.find((r) => r.userId === userId && r.clientId === clientId && r.seq === seq);
    return row ? { ...row, createdAt: new Date(0) } : null;
  }

  async opsBetween(_docId: string, afterVersion: number, upTo: number): Promise<VersionedOp[]> {
    return this.rows
      .filter((r) => r.version > afterVersion && r.version <= upTo)
      .map((r) => ({ version: r.version, op: new Delta(r.delta as Delta['ops']) }));
  }

  async head(): Promise<number> {
    return this.rows.length;
  }

  async contentAt(_docId: string, version: number): Promise<Delta['ops']> {
    return this.composed(version).ops;
  }

  text(): string {
    return this.composed(this.rows.length)
      .ops.map((o) => (typeof o.insert === 'string' ? o.insert : ''))
      .join('');
  }

  private composed(upTo: number): Delta {
    return this.rows
      .filter((r) => r.version <= upTo)
      .reduce((doc, r) => doc.compose(new Delta(r.delta as Delta['ops'])), new Delta([{ insert: '\n' }]));
  }
}

const WINDOW = 16;

/** An actor loaded from the log as the registry loads one (no snapshot: the window gets the last WINDOW rows). */
function loadActor(store: LogStore, died: string[] = []): DocumentActor {
  const doc = ChunkedDocument.empty();
  for (const row of store.rows) doc.apply(row.delta as Delta['ops']);
  const recent: RecentOp[] = store.rows.slice(-WINDOW).map((r) => ({
    version: r.version,
    op: new Delta(r.delta as Delta['ops']),
    origin: { userId: r.userId, clientId: r.clientId, seq: r.seq, submissionHash: r.submissionHash },
  }));
  return new DocumentActor(
    'doc',
    doc,
    store.rows.length,
    recent,
    {
      store,
      publish: () => undefined,
      committed: () => undefined,
      died: (docId) => died.push(docId),
    },
    { historyWindow: WINDOW },
  );
}

const op = (clientId: string, seq: number, baseVersion: number, delta: Delta['ops']): Submission => ({
  userId: 'u',
  clientId,
  seq,
  baseVersion,
  delta,
});

/** Each of `clients` inserts one character at the start, one after another. */
async function typeAlong(actor: DocumentActor, clients: string[], from: number): Promise<number> {
  let version = from;
  for (const clientId of clients) version = await actor.submit(op(clientId, 1, version, [{ insert: 'x' }]));
  return version;
}

describe('DocumentActor dedupe from the window', () => {
  it('asks the log nothing for a first operation whose base the window covers', async () => {
    const store = new LogStore();
    const actor = loadActor(store);
    await typeAlong(actor, ['a', 'b', 'c'], 0);
    // A fresh actor (a restart): every client is new to it, every base is within its window.
    const reloaded = loadActor(store);
    await expect(reloaded.submit(op('d', 1, 1, [{ insert: 'd' }]))).resolves.toBe(4);
    await expect(reloaded.submit(op('a', 2, 3, [{ insert: 'a' }]))).resolves.toBe(5);
    expect(store.lookups).toBe(0);
    expect(store.rows.map((r) => `${r.clientId}${r.seq}`)).toEqual(['a1', 'b1', 'c1', 'd1', 'a2']);
  });

  it('answers a resend after a reload with its original version from the window, committing nothing', async () => {
    const store = new LogStore();
    const actor = loadActor(store);
    const original = op('r', 1, 0, [{ insert: 'r' }]);
    await expect(actor.submit(original)).resolves.toBe(1);
    await typeAlong(actor, ['a', 'b'], 1);
    const appends = store.appends;

    const reloaded = loadActor(store);
    await expect(reloaded.submit(original)).resolves.toBe(1);
    // Remembered now: a second resend is answered from the client record.
    await expect(reloaded.submit(original)).resolves.toBe(1);
    expect(store.appends).toBe(appends);
    expect(store.lookups).toBe(0);
    expect(store.rows).toHaveLength(3);
    expect(reloaded.headVersion).toBe(3);
  });

  it('answers a resend of an operation still in flight once it is durable', async () => {
    const store = new LogStore();
    const actor = loadActor(store);
    const original = op('r', 1, 0, [{ insert: 'r' }]);
    const [first, again] = [actor.submit(original), actor.submit(original)];
    await expect(Promise.all([first, again])).resolves.toEqual([1, 1]);
    expect(store.rows).toHaveLength(1);
    expect(store.lookups).toBe(0);
  });

  it('refuses the same key with another operation (SEQ_REUSED), from the window, changing nothing', async () => {
    const store = new LogStore();
    const actor = loadActor(store);
    await actor.submit(op('r', 1, 0, [{ insert: 'r' }]));
    await typeAlong(actor, ['a', 'b'], 1);

    const reloaded = loadActor(store);
    // Same base, another delta; and another base too: both are the key reused.
    await expect(reloaded.submit(op('r', 1, 0, [{ insert: 'Z' }]))).rejects.toMatchObject({
      code: 'SEQ_REUSED',
    });
    await expect(reloaded.submit(op('r', 1, 2, [{ insert: 'r' }]))).rejects.toMatchObject({
      code: 'SEQ_REUSED',
    });
    expect(store.lookups).toBe(0);
    expect(store.rows).toHaveLength(3);
    // A seq below the client's latest that never committed is refused as before.
    await expect(reloaded.submit(op('b', 3, 3, [{ insert: 'b' }]))).resolves.toBe(4);
    await expect(reloaded.submit(op('b', 2, 3, [{ insert: 'b' }]))).rejects.toMatchObject({
      code: 'SEQ_REUSED',
    });
    expect(store.rows).toHaveLength(4);
  });

  it('reads the log when the base is older than the window', async () => {
    const store = new LogStore();
    const actor = loadActor(store);
    const original = op('old', 1, 0, [{ insert: 'o' }]);
    await actor.submit(original);
    const clients = Array.from({ length: WINDOW + 4 }, (_, i) => `c${i}`);
    const head = await typeAlong(actor, clients, 1);

    const reloaded = loadActor(store);
    await expect(reloaded.submit(original)).resolves.toBe(1);
    expect(store.lookups).toBe(1);
    await expect(reloaded.submit(op('old', 1, 0, [{ insert: 'Z' }]))).rejects.toMatchObject({
      code: 'SEQ_REUSED',
    });
    // A new client made at version 0 is new after all: one lookup, transformed against the log, committed.
    await expect(reloaded.submit(op('late', 1, 0, [{ insert: 'L' }]))).resolves.toBe(head + 1);
    expect(store.lookups).toBe(2);
    expect(store.rows).toHaveLength(head + 1);
  });

  it('a key reused from before the window with a base inside it: the log refuses it and the actor answers SEQ_REUSED', async () => {
    const store = new LogStore();
    const died: string[] = [];
    const actor = loadActor(store);
    await actor.submit(op('old', 1, 0, [{ insert: 'o' }]));
    const head = await typeAlong(
      actor,
      Array.from({ length: WINDOW + 4 }, (_, i) => `c${i}`),
      1,
    );
    const reloaded = loadActor(store, died);
    // A write in flight, so that the reused key and an honest operation queue
    // up behind it and go in one group commit.
    store.hold();
    const first = reloaded.submit(op('w', 1, head, [{ insert: 'w' }]));
    const honest = reloaded.submit(op('h', 1, head, [{ insert: 'h' }]));
    const reused = reloaded.submit(op('old', 1, head, [{ insert: 'Z' }]));
    store.release();
    await expect(first).resolves.toBe(head + 1);
    await expect(reused).rejects.toMatchObject({ code: 'SEQ_REUSED' });
    // Its batch was not written and the actor dropped its state; the honest
    // operation is refused with NOT_OWNER, which the gateway resends.
    await expect(honest).rejects.toMatchObject({ code: 'NOT_OWNER' });
    expect(died).toEqual(['doc']);
    expect(store.rows).toHaveLength(head + 1);
    expect(store.text()).not.toContain('Z');

    // A resend of the reused key to a fresh actor is refused the same way (and
    // costs that actor its state too); the honest one, resent, lands once.
    const fresh = loadActor(store);
    await expect(fresh.submit(op('old', 1, head, [{ insert: 'Z' }]))).rejects.toMatchObject({
      code: 'SEQ_REUSED',
    });
    expect(fresh.isDead).toBe(true);
    await expect(loadActor(store).submit(op('h', 1, head, [{ insert: 'h' }]))).resolves.toBe(head + 2);
    expect(store.rows.filter((r) => r.clientId === 'h')).toHaveLength(1);
    expect(store.rows.filter((r) => r.clientId === 'old')).toHaveLength(1);
    expect(store.rows).toHaveLength(head + 2);
  });
});

describe('DocumentActor and operations that change nothing', () => {
  it('refuses them with OP_CHANGES_NOTHING: no row, no version; the next operation takes the next version', async () => {
    const store = new LogStore();
    const actor = loadActor(store);
    await actor.submit(op('a', 1, 0, [{ insert: 'ab', attributes: { bold: true } }]));
    const cases: Delta['ops'][] = [
      [],
      [{ retain: 2 }],
      [{ retain: 1, attributes: { bold: true } }],
      [{ retain: 2, attributes: { italic: null } }],
    ];
    let seq = 1;
    for (const delta of cases) {
      await expect(actor.submit(op('n', seq++, 1, delta))).rejects.toMatchObject({
        code: 'OP_CHANGES_NOTHING',
      });
    }
    expect(store.rows).toHaveLength(1);
    expect(actor.headVersion).toBe(1);
    // Formatting that does change something is still an edit.
    await expect(
      actor.submit(op('n', seq++, 1, [{ retain: 1, attributes: { italic: true } }])),
    ).resolves.toBe(2);
    await expect(actor.submit(op('b', 1, 2, [{ insert: 'c' }]))).resolves.toBe(3);
    expect(store.rows.map((r) => r.version)).toEqual([1, 2, 3]);
  });

  it('refuses an operation that concurrent history emptied, and its resend again, and keeps serving the client', async () => {
    const store = new LogStore();
    const actor = loadActor(store);
    await actor.submit(op('a', 1, 0, [{ insert: 'xy' }]));
    // Two people delete the same character at version 1: the second deletes nothing.
    await expect(actor.submit(op('a', 2, 1, [{ delete: 1 }]))).resolves.toBe(2);
    const late = op('b', 1, 1, [{ delete: 1 }]);
    await expect(actor.submit(late)).rejects.toMatchObject({ code: 'OP_CHANGES_NOTHING' });
    await expect(actor.submit(late)).rejects.toMatchObject({ code: 'OP_CHANGES_NOTHING' });
    // After a reload too (no record of it anywhere), with no lookup: its base is in the window.
    const reloaded = loadActor(store);
    await expect(reloaded.submit(late)).rejects.toMatchObject({ code: 'OP_CHANGES_NOTHING' });
    expect(store.lookups).toBe(0);
    expect(store.rows).toHaveLength(2);
    // The client's next operation commits as the next version.
    await expect(reloaded.submit(op('b', 2, 2, [{ insert: 'z' }]))).resolves.toBe(3);
    expect(store.text()).toBe('zy\n');
  });
});
