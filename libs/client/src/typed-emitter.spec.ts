import { TypedEmitter } from './typed-emitter';

class Clock extends TypedEmitter<{ tick: [n: number]; stop: [] }> {
  fire(n: number): void {
    this.emit('tick', n);
  }
}

describe('TypedEmitter', () => {
  it('delivers events to every listener until it is removed', () => {
    const clock = new Clock();
    const seen: number[] = [];
    const off = clock.on('tick', (n) => seen.push(n));
    clock.on('tick', (n) => seen.push(n * 10));
    clock.fire(1);
    off();
    clock.fire(2);
    expect(seen).toEqual([1, 10, 20]);
  });

  it('keeps delivering when a listener throws, and reports the error asynchronously', () => {
    jest.useFakeTimers();
    const clock = new Clock();
    const seen: number[] = [];
    clock.on('tick', () => {
      throw new Error('listener bug');
    });
    clock.on('tick', (n) => seen.push(n));
    clock.fire(3);
    expect(seen).toEqual([3]);
    expect(() => jest.runAllTimers()).toThrow('listener bug');
    jest.useRealTimers();
  });
});
