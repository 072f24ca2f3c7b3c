import fc from 'fast-check';
import Delta from 'quill-delta';
import type { StoredDelta } from '../src/stored-delta';
import type { AttributedOperation } from '../src/history/attribution';

/*
 * Random operation logs for the property tests of the history folds, with a
 * naive reference replay: one author per character in a plain array.
 */

const USERS = ['u-ada', 'u-bruno', 'u-chen'] as const;
export const CREATED_AT = Date.UTC(2025, 0, 1);

/** One random edit, resolved against the document's length when the log is built. */
export interface EditSeed {
  readonly kind: 'insert' | 'delete' | 'format' | 'mixed';
  readonly at: number;
  readonly size: number;
  readonly text: string;
  readonly user: number;
  /** Milliseconds since the previous operation. */
  readonly gap: number;
  readonly bold: boolean;
}

export const editSeed: fc.Arbitrary<EditSeed> = fc.record({
  kind: fc.constantFrom('insert', 'insert', 'delete', 'format', 'mixed'),
  at: fc.double({ min: 0, max: 1, noNaN: true, maxExcluded: true }),
  size: fc.integer({ min: 1, max: 6 }),
  text: fc.stringMatching(/^[ab\u00e9\n]{1,5}$/),
  user: fc.integer({ min: 0, max: USERS.length - 1 }),
  gap: fc.oneof(fc.integer({ min: 0, max: 5_000 }), fc.integer({ min: 50_000, max: 600_000 })),
  bold: fc.boolean(),
});

/** A log: the operations, the content and the naive authors after each version (index = version). */
export interface Log {
  readonly operations: AttributedOperation[];
  readonly contents: StoredDelta[];
  readonly authors: (string | null)[][];
  readonly times: number[][];
  /** Each character's id (its rank among all characters ever inserted, the first "\n" is 0). */
  readonly ids: number[][];
  /** Who deleted each deleted character (by id), in which version, when. */
  readonly deletions: Map<number, { userId: string; version: number; time: number }>;
}

export function buildLog(seeds: readonly EditSeed[]): Log {
  let doc = new Delta([{ insert: '\n' }]);
  let authors: (string | null)[] = [null];
  let times: number[] = [CREATED_AT];
  let ids: number[] = [0];
  let nextId = 1;
  let time = CREATED_AT;
  const log: Log = {
    operations: [],
    contents: [doc.ops as StoredDelta],
    authors: [authors],
    times: [times],
    ids: [ids],
    deletions: new Map(),
  };
  for (const seed of seeds) {
    const length = doc.length();
    // Never touch the final newline: every document keeps one.
    const at = Math.floor(seed.at * length);
    const deletable = Math.min(seed.size, length - 1 - at);
    const formats = seed.bold ? { bold: true } : { bold: null, italic: true };
    let op: Delta;
    switch (seed.kind) {
      case 'insert':
        op = new Delta().retain(at).insert(seed.text, seed.bold ? { bold: true } : undefined);
        break;
      case 'delete':
        if (deletable < 1) continue;
        op = new Delta().retain(at).delete(deletable);
        break;
      case 'format':
        if (deletable < 1) continue;
        op = new Delta().retain(at).retain(deletable, formats);
        break;
      case 'mixed':
        op = new Delta().retain(at).insert(seed.text);
        if (deletable >= 1) op = op.delete(deletable);
        op = op.retain(1, { italic: true });
        break;
    }
    if (
      op.ops.length === 0 ||
      (op.ops.length === 1 && op.ops[0].retain !== undefined && !op.ops[0].attributes)
    )
      continue;
    const userId = USERS[seed.user];
    time += seed.gap;
    authors = [...authors];
    times = [...times];
    ids = [...ids];
    const version = log.operations.length + 1;
    let position = 0;
    for (const component of op.ops) {
      if (typeof component.insert === 'string') {
        const n = component.insert.length;
        authors.splice(position, 0, ...Array<string>(n).fill(userId));
        times.splice(position, 0, ...Array<number>(n).fill(time));
        ids.splice(position, 0, ...Array.from({ length: n }, (_, i) => nextId + i));
        nextId += n;
        position += n;
      } else if (typeof component.delete === 'number') {
        authors.splice(position, component.delete);
        times.splice(position, component.delete);
        for (const id of ids.splice(position, component.delete))
          log.deletions.set(id, { userId, version, time });
      } else if (typeof component.retain === 'number') {
        position += component.retain;
      }
    }
    doc = doc.compose(op);
    log.operations.push({ delta: op.ops as StoredDelta, userId, time });
    log.contents.push(doc.ops as StoredDelta);
    log.authors.push(authors);
    log.times.push(times);
    log.ids.push(ids);
  }
  return log;
}
