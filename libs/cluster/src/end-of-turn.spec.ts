import { endOfTurn } from './end-of-turn';

const turn = () => new Promise((resolve) => setImmediate(resolve));

describe('endOfTurn', () => {
  it('flushes once per turn, however often it is asked, and again in a later turn', async () => {
    let flushes = 0;
    const schedule = endOfTurn(() => flushes++);
    schedule();
    schedule();
    schedule();
    expect(flushes).toBe(0);
    await turn();
    expect(flushes).toBe(1);
    schedule();
    await turn();
    expect(flushes).toBe(2);
  });
});
