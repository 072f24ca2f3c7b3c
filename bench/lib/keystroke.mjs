// What a benchmark editor types: one character at a random place of a
// document of `length` characters (its final newline included), never after
// that newline (both systems refuse, or would be corrupted by, an insert past
// it). The same function drives every system compared, so they see the same
// positions' distribution.

/** `{ at, char }`: insert `char` at offset `at`, 0 <= at <= length - 1. */
export function keystroke(length, index) {
  return { at: Math.floor(Math.random() * length), char: String.fromCharCode(97 + (index % 26)) };
}
