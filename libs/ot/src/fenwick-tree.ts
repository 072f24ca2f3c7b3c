/**
 * A Fenwick (binary indexed) tree over a sequence of non-negative lengths:
 * the chunk lengths of a {@link ChunkedDocument}. Finding the element that
 * holds a position and changing one length both cost O(log n); rebuilding
 * after the sequence itself changed (elements added, removed, split) costs
 * O(n).
 *
 * `search` leaves the offset inside the element it found in `remainder`
 * rather than returning a pair, so the hot path of every edit allocates
 * nothing.
 */
export class FenwickTree {
  private tree = new Float64Array(1);
  /** The highest power of two not above the size: where `search` starts its descent. */
  private step = 0;
  private count = 0;
  private sum = 0;
  /** The offset inside the element the last `search` found. */
  remainder = 0;

  /** How many lengths the tree was last built over. */
  get size(): number {
    return this.count;
  }

  /** The sum of all lengths. */
  get total(): number {
    return this.sum;
  }

  /** Builds the tree over `elements`' lengths, reusing its storage when it is large enough. */
  rebuild(elements: readonly { readonly length: number }[]): void {
    const n = elements.length;
    if (this.tree.length < n + 1) this.tree = new Float64Array(Math.max(16, (n + 1) * 2));
    else this.tree.fill(0, 0, n + 1);
    const tree = this.tree;
    let total = 0;
    for (let i = 1; i <= n; i++) {
      const length = elements[i - 1].length;
      total += length;
      tree[i] += length;
      const parent = i + (i & -i);
      if (parent <= n) tree[parent] += tree[i];
    }
    let step = 1;
    while (step * 2 <= n) step *= 2;
    this.step = n === 0 ? 0 : step;
    this.count = n;
    this.sum = total;
  }

  /** Adds `delta` to the length at `index` (the sequence's size is unchanged). */
  add(index: number, delta: number): void {
    const n = this.count;
    const tree = this.tree;
    for (let i = index + 1; i <= n; i += i & -i) tree[i] += delta;
    this.sum += delta;
  }

  /**
   * The index of the element holding position `pos` (0 <= pos): the number of
   * leading elements whose lengths sum to at most `pos`, with the rest in
   * `remainder`. A position at or past the total gives `size`.
   */
  search(pos: number): number {
    const tree = this.tree;
    const n = this.count;
    let index = 0;
    let rest = pos;
    for (let step = this.step; step > 0; step >>= 1) {
      const next = index + step;
      if (next <= n && tree[next] <= rest) {
        index = next;
        rest -= tree[next];
      }
    }
    this.remainder = rest;
    return index;
  }
}
