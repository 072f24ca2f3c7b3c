import { RefreshThrottle } from './refresh-throttle';

describe('RefreshThrottle', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it('runs the first request at once, then at most once per interval, never dropping the last', () => {
    const runs: number[] = [];
    const throttle = new RefreshThrottle(() => runs.push(Date.now()), 3000);
    const start = Date.now();
    throttle.request();
    jest.advanceTimersByTime(0);
    expect(runs).toEqual([start]);
    // A burst of operations within the interval: one run, when it has passed.
    for (let i = 0; i < 50; i++) {
      jest.advanceTimersByTime(20);
      throttle.request();
    }
    expect(runs).toHaveLength(1);
    jest.advanceTimersByTime(3000);
    expect(runs).toEqual([start, start + 3000]);
    // Quiet for a while: the next request runs at once again.
    jest.advanceTimersByTime(10_000);
    throttle.request();
    jest.advanceTimersByTime(0);
    expect(runs).toEqual([start, start + 3000, start + 14_000]);
  });

  it('runs nothing after cancel', () => {
    const run = jest.fn();
    const throttle = new RefreshThrottle(run, 3000);
    throttle.request();
    throttle.cancel();
    jest.advanceTimersByTime(10_000);
    expect(run).not.toHaveBeenCalled();
  });
});
