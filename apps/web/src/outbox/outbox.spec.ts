import 'fake-indexeddb/auto';
import Delta from 'quill-delta';
import { claimOrphanedEntries, Outbox, type PendingEdits } from './outbox';

const pending: PendingEdits = {
  version: 3,
  nextSeq: 5,
  state: {
    inFlight: { clientId: 'c1', seq: 4, baseVersion: 3, delta: new Delta().retain(2).insert('x') },
    rebased: new Delta().retain(2).insert('x'),
    buffer: new Delta().insert('y'),
  },
};

describe('Outbox', () => {
  let outbox: Outbox;
  beforeEach(async () => {
    outbox = await Outbox.open();
    for (const doc of ['d1', 'd2'])
      for (const e of await outbox.entries(doc)) await outbox.remove(doc, e.clientId);
  });
  afterEach(() => outbox.close());

  it('keeps unsent edits per document and client, as plain data the SDK accepts back', async () => {
    await outbox.save('d1', 'c1', pending);
    await outbox.save('d1', 'c2', { ...pending, nextSeq: 9 });
    await outbox.save('d2', 'c3', pending);
    const entries = await outbox.entries('d1');
    expect(entries.map((e) => e.clientId).sort()).toEqual(['c1', 'c2']);
    const c1 = entries.find((e) => e.clientId === 'c1')!;
    expect(c1.pending).toEqual(JSON.parse(JSON.stringify(pending)));
    expect(new Delta([...c1.pending.state.inFlight.delta.ops]).ops).toEqual([{ retain: 2 }, { insert: 'x' }]);
  });

  it('removes an entry when nothing is pending any more', async () => {
    await outbox.save('d1', 'c1', pending);
    await outbox.save('d1', 'c1', null);
    expect(await outbox.entries('d1')).toEqual([]);
  });

  it('survives closing and reopening the database (a reload)', async () => {
    await outbox.save('d1', 'c1', pending);
    outbox.close();
    outbox = await Outbox.open();
    expect((await outbox.entries('d1')).map((e) => e.pending.nextSeq)).toEqual([5]);
  });

  it('claims the entries of closed tabs (no Web Locks in Node: every lock is granted)', async () => {
    await outbox.save('d1', 'c1', pending);
    const claimed = await claimOrphanedEntries(outbox, 'd1');
    expect(claimed.map((c) => c.entry.clientId)).toEqual(['c1']);
    for (const c of claimed) c.release();
  });
});
