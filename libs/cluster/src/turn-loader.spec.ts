import { turnLoader } from './turn-loader';

/** Resolves in the next turn of the event loop (after setImmediate callbacks queued before it). */
const turn = () => new Promise((resolve) => setImmediate(resolve));

describe('turnLoader', () => {
  it('answers the loads of one turn with one batch, in order, repeated keys included', async () => {
    const batches: number[][] = [];
    const load = turnLoader(async (keys: readonly number[]) => {
      batches.push([...keys]);
      return keys.map((k) => k * 10);
    });
    // A callback queued earlier in this turn (as the next socket's message is)
    // runs after this tick's microtasks: its load still joins the batch.
    const later = new Promise<number>((resolve) => setImmediate(() => resolve(load(3))));
    const answers = Promise.all([load(1), load(2), load(1)]);
    expect(await answers).toEqual([10, 20, 10]);
    expect(await later).toBe(30);
    expect(batches).toEqual([[1, 2, 1, 3]]);
  });

  it('caches nothing: a later turn reads again', async () => {
    let reads = 0;
    const load = turnLoader(async (keys: readonly string[]) => keys.map(() => ++reads));
    expect(await load('a')).toBe(1);
    await turn();
    expect(await load('a')).toBe(2);
  });

  it('splits a turn past maxBatchSize into several batches', async () => {
    const sizes: number[] = [];
    const load = turnLoader(
      async (keys: readonly number[]) => {
        sizes.push(keys.length);
        return [...keys];
      },
      { maxBatchSize: 2 },
    );
    expect(await Promise.all([1, 2, 3, 4, 5].map(load))).toEqual([1, 2, 3, 4, 5]);
    expect(sizes).toEqual([2, 2, 1]);
  });

  it('rejects every load of a failed batch, and the next turn starts afresh', async () => {
    let fail = true;
    const load = turnLoader(async (keys: readonly number[]) => {
      if (fail) throw new Error('connection lost');
      return [...keys];
    });
    const results = await Promise.allSettled([load(1), load(2)]);
    expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected']);
    expect((results[0] as PromiseRejectedResult).reason).toEqual(new Error('connection lost'));
    fail = false;
    expect(await load(3)).toBe(3);
  });
});
