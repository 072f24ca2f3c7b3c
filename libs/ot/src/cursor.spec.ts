import Delta from 'quill-delta';
import {
  transformPosition,
  transformPositionThrough,
  transformSelection,
  transformSelectionThrough,
  untransformPosition,
  untransformSelection,
} from './cursor';

// Document for most cases: "abcdef\n"; the caret sits at 3 (between c and d).
const insertAt3 = new Delta().retain(3).insert('XY');

describe('transformPosition', () => {
  it('shifts right for text inserted before the caret, whoever inserted it', () => {
    const op = new Delta().retain(1).insert('XY');
    expect(transformPosition(3, op, true)).toBe(5);
    expect(transformPosition(3, op, false)).toBe(5);
  });

  it('ignores text inserted after the caret', () => {
    expect(transformPosition(3, new Delta().retain(4).insert('XY'), false)).toBe(3);
  });

  it('at the insertion point: an own edit moves the caret past the text, a remote one leaves it in front', () => {
    expect(transformPosition(3, insertAt3, true)).toBe(5);
    expect(transformPosition(3, insertAt3, false)).toBe(3);
  });

  it('shifts left for text deleted before the caret, and moves a caret inside a deleted range to its start', () => {
    expect(transformPosition(3, new Delta().delete(2), false)).toBe(1);
    expect(transformPosition(3, new Delta().retain(1).delete(4), false)).toBe(1);
    expect(transformPosition(3, new Delta().retain(3).delete(2), false)).toBe(3);
  });

  it('ignores formatting', () => {
    expect(transformPosition(3, new Delta().retain(6, { bold: true }), false)).toBe(3);
  });

  it('counts UTF-16 units: an emoji before the caret moves it by 2, an embed by 1', () => {
    expect(transformPosition(1, new Delta().insert('😀'), false)).toBe(3);
    expect(transformPosition(1, new Delta().insert({ divider: true }), false)).toBe(2);
  });

  it('through a list of steps, with the flag of each step', () => {
    const steps = [
      { delta: insertAt3, ownEdit: false }, // stays at 3
      { delta: new Delta().insert('Q'), ownEdit: false }, // 4
      { delta: new Delta().retain(4).insert('!'), ownEdit: true }, // own insert at the caret: 5
    ];
    expect(transformPositionThrough(3, steps)).toBe(5);
    expect(transformPositionThrough(3, [])).toBe(3);
  });

  it('fixed case (cursor.property.spec.ts): a caret inside deleted text ends up on either side of a concurrent insert', () => {
    // "abcd\n", caret at 1. a deletes "abcd", b inserts an image at 0.
    const a = new Delta().delete(4);
    const b = new Delta().insert({ image: 'https://example.com/cat.png' });
    const viaA = transformPosition(transformPosition(1, a, false), a.transform(b, true), false);
    const viaB = transformPosition(transformPosition(1, b, false), b.transform(a, false), false);
    expect([viaA, viaB]).toEqual([0, 1]);
  });
});

describe('transformSelection', () => {
  it('moves a caret like transformPosition', () => {
    expect(transformSelection({ anchor: 3, head: 3 }, insertAt3, true)).toEqual({ anchor: 5, head: 5 });
    expect(transformSelection({ anchor: 3, head: 3 }, insertAt3, false)).toEqual({ anchor: 3, head: 3 });
  });

  it('keeps text inserted at either edge of a range outside it, for own and remote edits', () => {
    const atStart = new Delta().retain(1).insert('XY');
    const atEnd = new Delta().retain(3).insert('XY');
    for (const ownEdit of [true, false]) {
      expect(transformSelection({ anchor: 1, head: 3 }, atStart, ownEdit)).toEqual({ anchor: 3, head: 5 });
      expect(transformSelection({ anchor: 1, head: 3 }, atEnd, ownEdit)).toEqual({ anchor: 1, head: 3 });
    }
  });

  it('keeps the direction of a backward selection', () => {
    expect(transformSelection({ anchor: 3, head: 1 }, new Delta().insert('Q'), false)).toEqual({
      anchor: 4,
      head: 2,
    });
  });

  it('collapses a range whose text is deleted', () => {
    expect(transformSelection({ anchor: 2, head: 4 }, new Delta().retain(1).delete(4), false)).toEqual({
      anchor: 1,
      head: 1,
    });
  });

  it('through a list of steps', () => {
    const steps = [
      { delta: new Delta().insert('Q'), ownEdit: false },
      { delta: new Delta().delete(1), ownEdit: true },
    ];
    expect(transformSelectionThrough({ anchor: 1, head: 3 }, steps)).toEqual({ anchor: 1, head: 3 });
  });
});

describe('untransformPosition', () => {
  const op = new Delta().retain(2).insert('XY').delete(2); // "abcdef\n" -> "abXYef\n"

  it('maps positions before and after the edit back to the same characters', () => {
    expect(untransformPosition(1, op)).toBe(1);
    expect(untransformPosition(2, op)).toBe(2);
    expect(untransformPosition(5, op)).toBe(5); // between "e" and "f"
  });

  it('maps positions in or at the edges of inserted text to the insertion point', () => {
    expect([3, 4].map((i) => untransformPosition(i, op))).toEqual([2, 2]);
  });

  it('maps the position of a leading deletion to the start of the deleted range', () => {
    expect(untransformPosition(0, new Delta().delete(2))).toBe(0);
    expect(untransformPosition(1, new Delta().delete(2))).toBe(3);
  });

  it('for both ends of a selection', () => {
    expect(untransformSelection({ anchor: 5, head: 3 }, op)).toEqual({ anchor: 5, head: 2 });
  });
});
