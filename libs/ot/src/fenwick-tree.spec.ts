import fc from 'fast-check';
import { FenwickTree } from './fenwick-tree';

/** What search must answer, by a linear walk: the index holding pos, and the offset inside it. */
function naiveSearch(lengths: readonly number[], pos: number): [number, number] {
  let rest = pos;
  for (let i = 0; i < lengths.length; i++) {
    if (rest < lengths[i]) return [i, rest];
    rest -= lengths[i];
  }
  return [lengths.length, rest];
}

const treeOf = (lengths: readonly number[]): FenwickTree => {
  const tree = new FenwickTree();
  tree.rebuild(lengths.map((length) => ({ length })));
  return tree;
};

describe('FenwickTree', () => {
  it('is empty before it is built', () => {
    const tree = new FenwickTree();
    expect([tree.size, tree.total, tree.search(0), tree.remainder]).toEqual([0, 0, 0, 0]);
  });

  it('finds the element holding a position, the end giving the size', () => {
    const tree = treeOf([3, 1, 4]);
    const found = [0, 2, 3, 4, 7, 8].map((pos) => [tree.search(pos), tree.remainder]);
    expect(found).toEqual([
      [0, 0],
      [0, 2],
      [1, 0],
      [2, 0],
      [2, 3],
      [3, 0],
    ]);
  });

  it('agrees with a linear walk after any rebuilds and length changes', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 1, max: 20 }), { maxLength: 40 }),
        fc.array(fc.tuple(fc.nat(), fc.integer({ min: -5, max: 5 }))),
        fc.array(fc.integer({ min: 1, max: 20 }), { maxLength: 70 }),
        (first, changes, second) => {
          // Rebuilt over a longer sequence than the first: the storage grows.
          const tree = treeOf(first);
          tree.rebuild(second.map((length) => ({ length })));
          const lengths = [...second];
          for (const [at, delta] of changes) {
            if (lengths.length === 0) break;
            const index = at % lengths.length;
            // Lengths stay positive, as a document's chunks never get empty.
            const change = Math.max(delta, 1 - lengths[index]);
            lengths[index] += change;
            tree.add(index, change);
          }
          const total = lengths.reduce((a, b) => a + b, 0);
          expect([tree.size, tree.total]).toEqual([lengths.length, total]);
          for (let pos = 0; pos <= total; pos++) {
            const index = tree.search(pos);
            const [wantIndex, wantRest] = naiveSearch(lengths, pos);
            if (index !== wantIndex || tree.remainder !== wantRest) {
              expect({ pos, index, rest: tree.remainder }).toEqual({ pos, index: wantIndex, rest: wantRest });
            }
          }
        },
      ),
    );
  });
});
