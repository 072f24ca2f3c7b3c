import { EditCounter } from './edit-counter';

/** Drives a counter the way the SDK does: each submit raises its operation count to 1 or 2. */
function session(counter = new EditCounter(), pendingOperations = 0) {
  let operations = pendingOperations;
  return {
    counter,
    type(n: number) {
      for (let i = 0; i < n; i++) {
        counter.edited();
        operations = Math.min(operations + 1, 2);
        counter.pending(operations);
      }
    },
    ack() {
      operations -= 1;
      counter.pending(operations);
    },
  };
}

describe('EditCounter', () => {
  it('counts every edit while offline, not the two operations they compose into', () => {
    const s = session();
    s.type(39);
    expect(s.counter.unsaved).toBe(39);
  });

  it('an ack of the in-flight operation leaves the buffered edits unsaved', () => {
    const s = session();
    s.type(1); // in flight
    s.type(5); // buffered behind it
    expect(s.counter.unsaved).toBe(6);
    s.ack(); // the first is durable; the five are now in flight
    expect(s.counter.unsaved).toBe(5);
    s.type(2);
    expect(s.counter.unsaved).toBe(7);
    s.ack();
    expect(s.counter.unsaved).toBe(2);
    s.ack();
    expect(s.counter.unsaved).toBe(0);
  });

  it('a refusal that takes everything out (count to 0) leaves nothing unsaved', () => {
    const s = session();
    s.type(3);
    s.counter.pending(0);
    expect(s.counter.unsaved).toBe(0);
    s.type(1);
    expect(s.counter.unsaved).toBe(1);
  });

  it('resumes from the count saved with a replica, and estimates one without it', () => {
    const restored = session(new EditCounter({ inFlight: 12, buffered: 4 }, 2), 2);
    expect(restored.counter.unsaved).toBe(16);
    restored.type(1);
    expect(restored.counter.unsaved).toBe(17);
    expect(restored.counter.snapshot).toEqual({ inFlight: 12, buffered: 5 });
    expect(new EditCounter(null, 2).unsaved).toBe(2);
    expect(new EditCounter(null, 1).unsaved).toBe(1);
    // A saved count with nothing pending any more is stale.
    expect(new EditCounter({ inFlight: 3, buffered: 0 }, 0).unsaved).toBe(0);
  });
});
