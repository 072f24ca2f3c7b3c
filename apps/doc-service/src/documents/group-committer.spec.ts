import type { GroupOutcome, NewOperation } from '@collab/persistence';
import { GroupCommitter } from './group-committer';

function rows(documentId: string, count = 1): NewOperation[] {
  return Array.from({ length: count }, (_, i) => ({
    documentId,
    version: i + 1,
    delta: [{ insert: 'x' }],
    userId: 'u',
    clientId: 'c',
    seq: i + 1,
    submissionHash: 'h',
  }));
}

/** A writer whose statements finish when the test says so. */
function manualWriter() {
  const calls: { docs: string[]; finish: (outcomes?: GroupOutcome[]) => void; fail: (e: Error) => void }[] =
    [];
  const write = (batches: readonly (readonly NewOperation[])[]) =>
    new Promise<GroupOutcome[]>((resolve, reject) => {
      calls.push({
        docs: batches.map((b) => b[0].documentId),
        finish: (outcomes) => resolve(outcomes ?? batches.map(() => null)),
        fail: reject,
      });
    });
  return { calls, write };
}

const turn = () => new Promise((resolve) => setImmediate(resolve));

describe('GroupCommitter', () => {
  it('sends what arrives in one turn as one statement', async () => {
    const { calls, write } = manualWriter();
    const statements: number[] = [];
    const committer = new GroupCommitter(write, {
      statements: 2,
      maxRows: 100,
      onStatement: (documents) => statements.push(documents),
    });
    const done = ['a', 'b', 'c'].map((d) => committer.append(rows(d)));
    await turn();
    expect(calls.map((c) => c.docs)).toEqual([['a', 'b', 'c']]);
    expect(statements).toEqual([3]);
    calls[0].finish();
    await expect(Promise.all(done)).resolves.toEqual([undefined, undefined, undefined]);
  });

  it('keeps at most `statements` in flight and gathers the rest into the next', async () => {
    const { calls, write } = manualWriter();
    const committer = new GroupCommitter(write, { statements: 1, maxRows: 100 });
    const first = committer.append(rows('a'));
    await turn();
    const later = ['b', 'c', 'd'].map((d) => committer.append(rows(d)));
    await turn();
    expect(calls).toHaveLength(1);
    expect(committer.load).toEqual({ inFlight: 1, queued: 3 });
    calls[0].finish();
    await first;
    await turn();
    expect(calls.map((c) => c.docs)).toEqual([['a'], ['b', 'c', 'd']]);
    calls[1].finish();
    await Promise.all(later);
    expect(committer.load).toEqual({ inFlight: 0, queued: 0 });
  });

  it('gives each batch its own outcome', async () => {
    const { calls, write } = manualWriter();
    const committer = new GroupCommitter(write, { statements: 1, maxRows: 100 });
    const a = committer.append(rows('a'));
    const b = committer.append(rows('b'));
    await turn();
    const refused = new Error('head moved');
    calls[0].finish([null, refused]);
    await expect(a).resolves.toBeUndefined();
    await expect(b).rejects.toBe(refused);
  });

  it('fails every batch of a statement that failed as a whole, and goes on with the next', async () => {
    const { calls, write } = manualWriter();
    const committer = new GroupCommitter(write, { statements: 1, maxRows: 100 });
    const a = committer.append(rows('a'));
    await turn();
    const b = committer.append(rows('b'));
    calls[0].fail(new Error('connection lost'));
    await expect(a).rejects.toThrow('connection lost');
    await turn();
    expect(calls.map((c) => c.docs)).toEqual([['a'], ['b']]);
    calls[1].finish();
    await expect(b).resolves.toBeUndefined();
  });

  it('tells the time of each statement once it is answered, durable or failed', async () => {
    const { calls, write } = manualWriter();
    const answered: number[] = [];
    const committer = new GroupCommitter(write, {
      statements: 2,
      maxRows: 100,
      onAnswered: (seconds) => answered.push(seconds),
    });
    const a = committer.append(rows('a'));
    await turn();
    const b = committer.append(rows('b'));
    await turn();
    expect(calls).toHaveLength(2);
    expect(answered).toEqual([]);
    calls[1].fail(new Error('connection lost'));
    await expect(b).rejects.toThrow('connection lost');
    expect(answered).toHaveLength(1);
    calls[0].finish();
    await a;
    await turn();
    expect(answered).toHaveLength(2);
    for (const seconds of answered) expect(seconds).toBeGreaterThanOrEqual(0);
  });

  it('caps a statement at maxRows (a larger batch goes alone) and one batch per document', async () => {
    const { calls, write } = manualWriter();
    const committer = new GroupCommitter(write, { statements: 1, maxRows: 4 });
    const all = [
      committer.append(rows('big', 6)),
      committer.append(rows('a', 2)),
      committer.append(rows('b', 2)),
      committer.append(rows('a', 1)),
      committer.append(rows('c', 1)),
    ];
    for (let i = 0; i < 4; i++) {
      await turn();
      calls[calls.length - 1]?.finish();
      await turn();
    }
    await Promise.all(all);
    expect(calls.map((c) => c.docs)).toEqual([['big'], ['a', 'b'], ['a', 'c']]);
  });
});
