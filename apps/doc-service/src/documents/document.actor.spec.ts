import { type CommittedOp } from '@collab/contracts';
import { ChunkedDocument, type VersionedOp } from '@collab/ot';
import type { NewOperation } from '@collab/persistence';
import Delta from 'quill-delta';
import type { CommitBroadcast } from '../broadcast/op-publisher';
import type { DocumentStorePort } from './actor-ports';
import { DocumentActor } from './document.actor';

/**
 * A store in memory that records the order of writes and reads, and whose
 * appends wait until the test releases them (a write in flight).
 */
class RecordingStore implements DocumentStorePort {
  readonly events: string[] = [];
  readonly rows: NewOperation[] = [];
  private readonly held: (() => void)[] = [];
  hold = false;

  async append(rows: readonly NewOperation[]): Promise<void> {
    this.events.push(`append ${rows.map((r) => r.version).join(',')}`);
    if (this.hold) await new Promise<void>((resolve) => this.held.push(resolve));
    this.rows.push(...rows);
  }

  /** Replays the stored rows: only what is durable can be read back. */
  async contentAt(_docId: string, version: number): Promise<Delta['ops']> {
    this.events.push(`contentAt ${version} (durable: ${this.rows.length})`);
    return this.rows
      .filter((row) => row.version <= version)
      .reduce((doc, row) => doc.compose(new Delta(row.delta as Delta['ops'])), new Delta([{ insert: '\n' }]))
      .ops;
  }

  async findBySeq(): Promise<null> {
    return null;
  }

  async opsBetween(_docId: string, afterVersion: number, upTo: number): Promise<VersionedOp[]> {
    return this.rows
      .filter((row) => row.version > afterVersion && row.version <= upTo)
      .map((row) => ({ version: row.version, op: new Delta(row.delta as Delta['ops']) }));
  }

  /** The log's head: what is stored, unless a test says another owner wrote more. */
  logHead: number | undefined;

  async head(): Promise<number> {
    return this.logHead ?? this.rows.at(-1)?.version ?? 0;
  }

  release(): void {
    this.hold = false;
    for (const resolve of this.held.splice(0)) resolve();
  }
}

function actorOn(
  store: RecordingStore,
  published: CommittedOp[],
  commits: CommitBroadcast[] = [],
  died: (docId: string) => void = () => undefined,
): DocumentActor {
  return new DocumentActor(
    'doc',
    ChunkedDocument.empty(),
    0,
    [],
    {
      store,
      publish: (commit) => {
        commits.push(commit);
        published.push(...commit.ops);
      },
      committed: () => undefined,
      died,
    },
    { historyWindow: 100 },
  );
}

const submit = (actor: DocumentActor, clientId: string, baseVersion: number, delta: Delta) =>
  actor.submit({ userId: 'u', clientId, seq: 1, baseVersion, delta: delta.ops });

describe('DocumentActor restore', () => {
  it('commits the operations staged before a restore first, so the old version is read from durable history', async () => {
    const store = new RecordingStore();
    const published: CommittedOp[] = [];
    const actor = actorOn(store, published);

    // Version 1 is in flight while the rest queues up: they form the next batch together.
    store.hold = true;
    const first = submit(actor, 'a', 0, new Delta().insert('one '));
    const queued = [
      submit(actor, 'b', 1, new Delta().retain(4).insert('two ')),
      actor.restore({ userId: 'u', clientId: 'restore-1', seq: 1, toVersion: 1 }),
      submit(actor, 'c', 2, new Delta().insert('three ')),
    ];
    store.release();
    expect(await Promise.all([first, ...queued])).toEqual([1, 2, 3, 4]);

    expect(store.events).toEqual(['append 1', 'append 2', 'contentAt 1 (durable: 2)', 'append 3,4']);
    expect(store.rows.map((r) => r.restoredFrom ?? null)).toEqual([null, null, 1, null]);
    // Version 3 is version 1 again; "three " was made at version 2 and moved over the restore.
    expect(await store.contentAt('doc', 3)).toEqual([{ insert: 'one \n' }]);
    expect((await actor.load()).content).toEqual([{ insert: 'three one \n' }]);
    expect(published.map((op) => [op.version, op.clientId])).toEqual([
      [1, 'a'],
      [2, 'b'],
      [3, 'restore-1'],
      [4, 'c'],
    ]);
  });

  it('a restore to the current content commits nothing and answers the head, also when resent', async () => {
    const store = new RecordingStore();
    const actor = actorOn(store, []);
    await submit(actor, 'a', 0, new Delta().insert('x'));
    await submit(actor, 'b', 1, new Delta().delete(1));
    const restore = { userId: 'u', clientId: 'restore-2', seq: 1, toVersion: 0 };
    expect(await actor.restore(restore)).toBe(2);
    expect(await actor.restore(restore)).toBe(2);
    expect(store.rows).toHaveLength(2);
  });
});

describe('DocumentActor broadcast', () => {
  it('broadcasts one frame per group commit, skipping the submitter only when the commit is all its own', async () => {
    const store = new RecordingStore();
    const commits: CommitBroadcast[] = [];
    const actor = actorOn(store, [], commits);
    const op = (clientId: string, seq: number, baseVersion: number, socketId?: string) =>
      actor.submit({ userId: 'u', clientId, seq, baseVersion, delta: [{ insert: clientId }], socketId });

    await op('a', 1, 0, 'socket-a');
    await new Promise((resolve) => setImmediate(resolve)); // that write has finished
    store.hold = true;
    const inFlight = op('a', 2, 1, 'socket-a');
    // Queued behind the write in flight: one commit with two sockets' operations.
    const together = [op('a', 3, 1, 'socket-a'), op('b', 1, 1, 'socket-b')];
    store.release();
    await Promise.all([inFlight, ...together]);
    // Submitted while the last commit's callbacks run: must not wait for another submission.
    await op('c', 1, 4);

    expect(commits.map((c) => [c.ops.map((o) => o.version), c.exceptSocket])).toEqual([
      [[1], 'socket-a'],
      [[2], 'socket-a'],
      [[3, 4], undefined],
      [[5], undefined],
    ]);
  });
});

describe('DocumentActor with a base version past its head', () => {
  it('dies and answers NOT_OWNER (retryable) when the log holds that version: another owner wrote it after this one loaded', async () => {
    const store = new RecordingStore();
    const died: string[] = [];
    const actor = actorOn(store, [], [], (docId) => died.push(docId));
    // The previous owner's last commit (versions 1-3) landed after this actor loaded at 0.
    store.logHead = 3;
    await expect(submit(actor, 'a', 3, new Delta().insert('x'))).rejects.toMatchObject({ code: 'NOT_OWNER' });
    expect(died).toEqual(['doc']);
    expect(store.rows).toEqual([]);
  });

  it('answers VERSION_AHEAD when the log does not hold it either, and keeps serving', async () => {
    const store = new RecordingStore();
    const died: string[] = [];
    const actor = actorOn(store, [], [], (docId) => died.push(docId));
    await expect(submit(actor, 'a', 2, new Delta().insert('x'))).rejects.toMatchObject({
      code: 'VERSION_AHEAD',
    });
    expect(died).toEqual([]);
    await expect(submit(actor, 'b', 0, new Delta().insert('y'))).resolves.toBe(1);
  });
});
