import 'fake-indexeddb/auto';
import Delta from 'quill-delta';
import type { Replica } from '@collab/client';
import { claimOrphanedEntries, Outbox, type OutboxEntry, planAdoption } from './outbox';

const pending: Replica = {
  version: 3,
  nextSeq: 5,
  pending: {
    inFlight: { clientId: 'c1', seq: 4, baseVersion: 3, delta: new Delta().retain(2).insert('x') },
    rebased: new Delta().retain(2).insert('x'),
    buffer: new Delta().insert('y'),
  },
  document: new Delta().insert('yabx\n'),
  role: 'editor',
};
const synced: Replica = { ...pending, pending: null, document: new Delta().insert('ab\n') };

describe('Outbox', () => {
  let outbox: Outbox;
  beforeEach(async () => {
    outbox = await Outbox.open();
    for (const doc of ['d1', 'd2'])
      for (const e of await outbox.entries(doc)) await outbox.remove(doc, e.clientId);
  });
  afterEach(() => outbox.close());

  it('keeps replicas with their unsent edits per document and client, as plain data the SDK accepts back', async () => {
    await outbox.save('d1', 'c1', pending);
    await outbox.save('d1', 'c2', { ...pending, nextSeq: 9 });
    await outbox.save('d2', 'c3', pending);
    const entries = await outbox.entries('d1');
    expect(entries.map((e) => e.clientId).sort()).toEqual(['c1', 'c2']);
    const c1 = entries.find((e) => e.clientId === 'c1')!;
    expect(c1.replica).toEqual(JSON.parse(JSON.stringify(pending)));
    expect(new Delta([...c1.replica.pending!.inFlight.delta.ops]).ops).toEqual([
      { retain: 2 },
      { insert: 'x' },
    ]);
    expect(c1.replica.document.ops).toEqual([{ insert: 'yabx\n' }]);
  });

  it('keeps a replica with nothing pending (the document still opens offline), and removes on request', async () => {
    await outbox.save('d1', 'c1', pending);
    await outbox.save('d1', 'c1', synced);
    expect((await outbox.entries('d1')).map((e) => e.replica.pending)).toEqual([null]);
    await outbox.remove('d1', 'c1');
    expect(await outbox.entries('d1')).toEqual([]);
  });

  it('survives closing and reopening the database (a reload)', async () => {
    await outbox.save('d1', 'c1', pending);
    outbox.close();
    outbox = await Outbox.open();
    expect((await outbox.entries('d1')).map((e) => e.replica.nextSeq)).toEqual([5]);
  });

  it('claims the entries of closed tabs (no Web Locks in Node: every lock is granted)', async () => {
    await outbox.save('d1', 'c1', pending);
    const claimed = await claimOrphanedEntries(outbox, 'd1');
    expect(claimed.map((c) => c.entry.clientId)).toEqual(['c1']);
    for (const c of claimed) c.release();
  });
});

describe('planAdoption', () => {
  const entry = (clientId: string, savedAt: number, replica: Replica) => ({
    entry: { docId: 'd1', clientId, savedAt, replica } satisfies OutboxEntry,
  });

  it('adopts the newest replica, flushes older ones with unsent edits and discards the rest', () => {
    const plan = planAdoption([
      entry('old-pending', 1, pending),
      entry('newest', 3, synced),
      entry('old-synced', 2, synced),
    ]);
    expect(plan.adopt?.entry.clientId).toBe('newest');
    expect(plan.flush.map((c) => c.entry.clientId)).toEqual(['old-pending']);
    expect(plan.discard.map((c) => c.entry.clientId)).toEqual(['old-synced']);
  });

  it('adopts nothing when no tab left anything', () => {
    expect(planAdoption([])).toEqual({ adopt: undefined, flush: [], discard: [] });
  });
});
