/**
 * A seeded pseudo-random integer source (a 32-bit linear congruential
 * generator): `random(n)` is in [0, n). Tests that draw random edits use it so
 * that the same seed gives the same history on every run and machine.
 */
export function seededRandom(seed: number): (n: number) => number {
  let state = seed >>> 0;
  return (n) => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state % n;
  };
}
