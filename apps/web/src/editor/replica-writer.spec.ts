import type { Replica } from '@collab/client';
import Delta from 'quill-delta';
import type { Outbox } from '../outbox/outbox';
import { replicaWriter } from './replica-writer';

const replicaAt = (version: number): Replica => ({
  version,
  nextSeq: 1,
  pending: null,
  document: new Delta().insert(`v${version}\n`),
  role: 'editor',
});

describe('replicaWriter', () => {
  it('writes one at a time, and always the newest state once a write is done', async () => {
    const writes: number[] = [];
    const finishers: (() => void)[] = [];
    const outbox = {
      save: (_doc: string, _client: string, replica: Replica) =>
        new Promise<void>((resolve) => {
          writes.push(replica.version);
          finishers.push(resolve);
        }),
    } as unknown as Outbox;
    let version = 1;
    const save = replicaWriter(outbox, 'd1', 'c1', { replica: () => replicaAt(version) });

    save();
    for (version = 2; version <= 5; version++) save();
    version = 5;
    expect(writes).toEqual([1]); // the others wait for the first write
    finishers.shift()!();
    await new Promise((r) => setTimeout(r, 0));
    expect(writes).toEqual([1, 5]); // one write of the newest state, not four
    finishers.shift()!();
    await new Promise((r) => setTimeout(r, 0));
    expect(writes).toEqual([1, 5]);
  });

  it('writes nothing while the document has no replica yet', async () => {
    const save = jest.fn();
    replicaWriter({ save } as unknown as Outbox, 'd1', 'c1', { replica: () => null })();
    await new Promise((r) => setTimeout(r, 0));
    expect(save).not.toHaveBeenCalled();
  });
});
