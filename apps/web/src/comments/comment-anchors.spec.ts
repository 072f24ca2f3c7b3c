import type { Anchor } from '@collab/contracts';
import { collabSchema, deltaToDoc } from '@collab/editor-binding';
import type { Node as PmNode } from '@tiptap/pm/model';
import Delta from 'quill-delta';
import { advanceAnchors, highlightRanges } from './comment-anchors';

function docOf(text: string): PmNode {
  const built = deltaToDoc(collabSchema(), new Delta().insert(text));
  if (!built.ok) throw new Error(built.message);
  return built.value;
}

const at = (from: number, to: number, version: number, detached = false): Anchor => ({
  from,
  to,
  version,
  detached,
});

describe('advanceAnchors', () => {
  it('moves an anchor one version on: typing before shifts it, deleting part of it shrinks it', () => {
    const start = new Map([['t', at(6, 11, 3)]]); // "world" in "hello world\n"
    const typed = advanceAnchors(start, 4, new Delta().insert('>> '));
    expect(typed).toEqual({ anchors: new Map([['t', at(9, 14, 4)]]), gap: false });
    const cut = advanceAnchors(typed.anchors, 5, new Delta().retain(9).delete(2));
    expect(cut.anchors.get('t')).toEqual(at(9, 12, 5));
  });

  it('keeps an anchor the server gave at or after the version, and reports a gap for an older one', () => {
    const anchors = new Map([
      ['newer', at(0, 2, 7)],
      ['older', at(0, 2, 4)],
    ]);
    const moved = advanceAnchors(anchors, 7, new Delta().insert('x'));
    expect(moved.anchors.get('newer')).toEqual(at(0, 2, 7));
    expect(moved.anchors.get('older')).toEqual(at(0, 2, 4));
    expect(moved.gap).toBe(true);
  });

  it('detaches an anchor whose text is all deleted; a detached one stays detached', () => {
    const gone = advanceAnchors(new Map([['t', at(2, 4, 1)]]), 2, new Delta().retain(1).delete(4));
    expect(gone.anchors.get('t')).toEqual(at(1, 1, 2, true));
    const typed = advanceAnchors(gone.anchors, 3, new Delta().retain(1).insert('new'));
    expect(typed.anchors.get('t')?.detached).toBe(true);
  });
});

describe('highlightRanges', () => {
  const doc = docOf('one two\nthree\n');

  it('maps Delta ranges to ProseMirror positions across lines', () => {
    // "two" is index 4..7 in line 1 (positions 5..8); "three" is 8..13 in line 2 (positions 10..15).
    const ranges = highlightRanges(doc, [
      { id: 'a', anchor: at(4, 7, 1), resolved: false },
      { id: 'b', anchor: at(8, 13, 1), resolved: false },
    ]);
    expect(ranges).toEqual([
      { threadId: 'a', from: 5, to: 8 },
      { threadId: 'b', from: 10, to: 15 },
    ]);
    expect(doc.textBetween(5, 8)).toBe('two');
    expect(doc.textBetween(10, 15)).toBe('three');
  });

  it('leaves out resolved and detached threads, and clamps a range past the end', () => {
    const ranges = highlightRanges(doc, [
      { id: 'resolved', anchor: at(0, 3, 1), resolved: true },
      { id: 'detached', anchor: at(2, 2, 1, true), resolved: false },
      { id: 'long', anchor: at(8, 99, 1), resolved: false },
      { id: 'beyond', anchor: at(50, 60, 1), resolved: false },
    ]);
    expect(ranges.map((r) => r.threadId)).toEqual(['long']);
    expect(doc.textBetween(ranges[0].from, ranges[0].to, '\n')).toBe('three');
  });
});
