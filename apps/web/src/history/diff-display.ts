import type { DiffChange, VersionDiff } from '@collab/contracts';
import Delta, { type Op } from 'quill-delta';

/** What a highlighted run did between the two versions. */
type DiffKind = 'insert' | 'delete' | 'format';

/**
 * One highlighted run of the display document, `[from, to)` in Delta
 * indexes. A run never mixes text and line ends: a "\n" is a mark of its
 * own (`newline`), because a line end is drawn on its line rather than as
 * text.
 */
export interface DiffMark {
  readonly from: number;
  readonly to: number;
  readonly kind: DiffKind;
  /** Who wrote the inserted or deleted text (null: nobody, the first line end; and for formats). */
  readonly author: string | null;
  /** When that text was written (ISO), null for formats. */
  readonly at: string | null;
  /** For a deletion: who deleted it and when (null when the history does not know). */
  readonly deletedBy?: string | null;
  readonly deletedAt?: string | null;
  readonly newline: boolean;
}

/** Who a mark is shown as: the deleter of deleted text (when known), else the writer. */
export const shownAuthor = (mark: Pick<DiffMark, 'kind' | 'author' | 'deletedBy'>) =>
  mark.kind === 'delete' && mark.deletedBy ? mark.deletedBy : mark.author;

/**
 * Version `to` as it is shown with its changes since `from`: the text of
 * `to` with every deleted run put back where it was (to be struck through),
 * and the marks saying which runs were inserted, deleted or reformatted.
 */
export interface DiffDisplay {
  /** A document Delta (inserts only, ending with "\n"). */
  readonly display: Op[];
  readonly marks: DiffMark[];
}

const lengthOf = (op: Op) => (typeof op.insert === 'string' ? op.insert.length : 1);

/** The marks of `piece` placed at `offset`, cut at every "\n". */
function marksOf(
  piece: Delta,
  offset: number,
  kind: DiffKind,
  author: string | null,
  at: string | null,
  deletion?: Pick<DiffMark, 'deletedBy' | 'deletedAt'>,
): DiffMark[] {
  const marks: DiffMark[] = [];
  const push = (from: number, to: number, newline: boolean) => {
    const last = marks[marks.length - 1];
    // Runs of text of one insert side by side (split only by formats) are one mark.
    if (last && !newline && !last.newline && last.to === from) marks[marks.length - 1] = { ...last, to };
    else marks.push({ from, to, kind, author, at, ...deletion, newline });
  };
  let at0 = offset;
  for (const op of piece.ops) {
    if (typeof op.insert !== 'string') {
      push(at0, at0 + 1, false);
      at0 += 1;
      continue;
    }
    let start = 0;
    for (let nl = op.insert.indexOf('\n'); nl !== -1; nl = op.insert.indexOf('\n', start)) {
      if (nl > start) push(at0 + start, at0 + nl, false);
      push(at0 + nl, at0 + nl + 1, true);
      start = nl + 1;
    }
    if (start < op.insert.length) push(at0 + start, at0 + op.insert.length, false);
    at0 += op.insert.length;
  }
  return marks;
}

/**
 * Lays out a diff for reading: `toContent` is version `to`, `diff` the
 * changes from `from` to `to` (components and their `changes` side by side).
 * Inserted and reformatted runs are taken from `toContent`; deleted runs come
 * with the diff (`deleted`), so nothing of version `from` needs loading.
 */
export function diffDisplay(
  toContent: readonly Op[],
  diff: Pick<VersionDiff, 'ops' | 'changes'>,
): DiffDisplay {
  const to = new Delta([...toContent]);
  let display = new Delta();
  const marks: DiffMark[] = [];
  let inTo = 0;
  let out = 0;
  diff.ops.forEach((component, i) => {
    const op = component as Op;
    const change: DiffChange = diff.changes[i];
    if (op.delete !== undefined) {
      if (change.kind !== 'delete')
        throw new Error(`component ${i} deletes but its change is ${change.kind}`);
      const deleted = new Delta(change.deleted as Op[]);
      marks.push(
        ...marksOf(deleted, out, 'delete', change.author, change.at, {
          deletedBy: change.deletedBy,
          deletedAt: change.deletedAt,
        }),
      );
      display = display.concat(deleted);
      out += deleted.length();
      return;
    }
    const length = op.insert !== undefined ? lengthOf(op) : (op.retain as number);
    const piece = to.slice(inTo, inTo + length);
    if (change.kind === 'insert') marks.push(...marksOf(piece, out, 'insert', change.author, change.at));
    else if (change.kind === 'format') marks.push(...marksOf(piece, out, 'format', null, null));
    display = display.concat(piece);
    inTo += length;
    out += length;
  });
  // A diff may leave the end of the document out (an unchanged tail needs no retain).
  if (inTo < to.length()) display = display.concat(to.slice(inTo));
  return { display: display.ops, marks };
}

/** One stop of "Next change": touching marks (a replacement's delete and insert) are one change. */
export interface ChangeStop {
  readonly from: number;
  readonly to: number;
  readonly kinds: readonly DiffKind[];
  readonly authors: readonly (string | null)[];
}

/** The changes to step through, in document order. */
export function changeStops(marks: readonly DiffMark[]): ChangeStop[] {
  const stops: ChangeStop[] = [];
  for (const mark of [...marks].sort((a, b) => a.from - b.from)) {
    const last = stops[stops.length - 1];
    if (last && mark.from <= last.to) {
      stops[stops.length - 1] = {
        from: last.from,
        to: Math.max(last.to, mark.to),
        kinds: last.kinds.includes(mark.kind) ? last.kinds : [...last.kinds, mark.kind],
        authors:
          mark.kind === 'format' || last.authors.includes(shownAuthor(mark))
            ? last.authors
            : [...last.authors, shownAuthor(mark)],
      };
    } else {
      stops.push({
        from: mark.from,
        to: mark.to,
        kinds: [mark.kind],
        authors: mark.kind === 'format' ? [] : [shownAuthor(mark)],
      });
    }
  }
  return stops;
}

/** The step of "Next change" (or, with `back`, "Previous change") from `current` (-1: none yet), wrapping around. */
export function nextStop(count: number, current: number, back = false): number {
  if (count === 0) return -1;
  if (current < 0) return back ? count - 1 : 0;
  return (current + (back ? count - 1 : 1)) % count;
}
