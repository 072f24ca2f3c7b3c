import Delta from 'quill-delta';
import { LocalDocument } from './local-document';

/** A small deterministic PRNG (mulberry32), so a failure replays. */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const FORMATS = [{ bold: true }, { italic: true }, { bold: null }, { link: 'https://example.test' }];

/** A random edit of a document of `length` (ending in "\n", which it never deletes). */
function randomEdit(next: () => number, length: number): Delta {
  const at = Math.floor(next() * length);
  const edit = new Delta().retain(at);
  const roll = next();
  if (roll < 0.5) {
    const text = next() < 0.2 ? '\n' : 'xyz'.slice(0, 1 + Math.floor(next() * 3));
    const attributes = next() < 0.3 ? { bold: true } : undefined;
    return edit.insert(text, attributes);
  }
  const span = Math.min(1 + Math.floor(next() * 4), length - 1 - at);
  if (span <= 0) return edit.insert('a');
  if (roll < 0.75) return edit.delete(span);
  return edit.retain(span, FORMATS[Math.floor(next() * FORMATS.length)]);
}

describe('LocalDocument', () => {
  it('applies random edits exactly as quill-delta composes them', () => {
    for (let seed = 1; seed <= 20; seed++) {
      const next = random(seed);
      let expected = new Delta().insert('Hello ').insert('world', { bold: true }).insert('\n');
      const local = LocalDocument.of(expected.ops);
      for (let i = 0; i < 300; i++) {
        const edit = randomEdit(next, expected.length());
        expected = expected.compose(edit);
        local.apply(edit);
        expect({ seed, i, ops: local.toDelta().ops }).toEqual({ seed, i, ops: expected.ops });
      }
      expect(local.length).toBe(expected.length());
    }
  });

  it('composes an edit it cannot validate the way quill-delta does (the server refuses it later)', () => {
    const base = new Delta().insert('ab\n');
    const local = LocalDocument.of(base.ops);
    // Deletes past the end of the document: not a valid edit of it.
    const invalid = new Delta().retain(2).delete(5);
    local.apply(invalid);
    // As a document: the inserts of the composition (its dangling delete is not content).
    expect(local.toDelta().ops).toEqual([{ insert: 'ab' }]);
    expect(base.compose(invalid).ops.filter((op) => op.insert !== undefined)).toEqual([{ insert: 'ab' }]);
  });

  it('gives the text without embeds, and a fresh delta each time', () => {
    const local = LocalDocument.of([{ insert: 'a' }, { insert: { image: 'x.png' } }, { insert: 'b\n' }]);
    expect(local.text()).toBe('ab\n');
    expect(local.length).toBe(4);
    const copy = local.toDelta();
    copy.ops.push({ insert: 'z' });
    expect(local.toDelta().ops).toHaveLength(3);
    expect(LocalDocument.of([]).toDelta().ops).toEqual([]);
  });
});
