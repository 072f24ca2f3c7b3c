import { until } from './until';

describe('until', () => {
  it('returns once the predicate holds, sync or async', async () => {
    let calls = 0;
    await until(() => ++calls === 3, { what: 'the third call', everyMs: 1 });
    expect(calls).toBe(3);
    await until(async () => true, { what: 'an async yes' });
  });

  it('fails with a message that says what it waited for', async () => {
    await expect(until(() => false, { what: 'the moon', timeoutMs: 30, everyMs: 5 })).rejects.toThrow(
      'timed out after 30 ms waiting for the moon',
    );
  });

  it('ends the wait with the error a predicate throws', async () => {
    await expect(
      until(
        () => {
          throw new Error('child exited with 1');
        },
        { what: 'a dead child' },
      ),
    ).rejects.toThrow('child exited with 1');
  });
});
