import { Fragment, type Node as PmNode, Slice } from '@tiptap/pm/model';
import { type EditorState, TextSelection, type Transaction } from '@tiptap/pm/state';
import { ReplaceStep, type Step } from '@tiptap/pm/transform';
import { isBlockAttribute, OtErrorCode, parseOp, transformSelection } from '@collab/ot';
import type Delta from 'quill-delta';
import { type Op } from 'quill-delta';
import { BindingErrorCode, type BindingResult, refuse } from '../binding-errors';
import { attributesToMarks, collectLines } from '../convert/delta-to-doc';
import { deltaLength, indexToPm, locateIndex, pmToIndex } from '../convert/positions';
import { ChangeOrigin, setDeltaMeta } from '../local/change-origin';
import { LINE_NODE, lineAttrsFromNewline, newlineAttributes } from '../schema/line-format';

/*
 * A Delta -> one ProseMirror transaction on the current editor state.
 *
 * Each component becomes steps on exactly the characters it touches (a
 * keystroke from someone else is one small ReplaceStep), so ProseMirror maps
 * decorations and node views through it and redraws only that range. The
 * Delta is walked against the transaction's current document: an index
 * advances over retained and inserted characters and stays on deletions.
 *
 * Line formats live on the "\n" in the Delta and on the node in the editor,
 * so two places need care: inserting text that holds a "\n" splits the line
 * (the first part takes the inserted "\n"'s formats, the rest keeps its own),
 * and deleting across a "\n" joins lines (the joined line takes the formats of
 * the "\n" that survives, the last one).
 *
 * Failure is all-or-nothing: the transaction is only returned when every
 * component applied, so a refused Delta changes nothing.
 *
 * Cost: a remote keystroke in a long document should cost about what Tiptap
 * pays to apply the same character (bench/editor compares them). Finding a
 * Delta index walks the lines before it (see positions.ts), so each
 * component walks once (a range continues from its start), and the local
 * selection is only converted to Delta indexes and back when the change
 * could move it differently from a plain shift (see moveSelection).
 */

class DoesNotFit extends Error {
  constructor(
    readonly code: BindingErrorCode | OtErrorCode,
    message: string,
  ) {
    super(message);
  }
}

/**
 * Where the change touched the document it was applied to, in ProseMirror
 * positions of that (old) document: `from` is the first component's start
 * (everything before it is untouched), `to` the last component's end
 * (everything after it is only shifted by the change in size).
 */
type Touched = { readonly before: PmNode; from: number | null; to: number };

/**
 * Records a component about to act on [from, to] of the current tr.doc.
 * Components come left to right, so the steps so far changed sizes only
 * before `from`: from there on, positions of the old document are shifted
 * by the difference in size.
 */
function touch(tr: Transaction, touched: Touched, from: number, to: number): void {
  const shift = tr.doc.content.size - touched.before.content.size;
  touched.from ??= from - shift;
  touched.to = to - shift;
}

function step(tr: Transaction, s: Step): void {
  const result = tr.maybeStep(s);
  if (result.failed) throw new DoesNotFit(BindingErrorCode.DELTA_DOES_NOT_FIT, result.failed);
}

function setLineAttrs(tr: Transaction, pos: number, line: PmNode, attrs: Record<string, unknown>): void {
  for (const name of Object.keys(attrs)) {
    if (line.attrs[name] !== attrs[name]) tr.setNodeAttribute(pos, name, attrs[name]);
  }
}

/** Inserts `op` (text, possibly with "\n"s, or an embed) at Delta index `index`. */
function insertAt(tr: Transaction, touched: Touched, index: number, op: Op): void {
  const schema = tr.doc.type.schema;
  const lineType = schema.nodes[LINE_NODE];
  const at = locateIndex(tr.doc, index);
  const pos = at.pos;
  const lines: { inline: PmNode[]; attrs: Record<string, unknown> }[] = [];
  const tail = collectLines(schema, [op], (inline, attrs) => lines.push({ inline, attrs }));
  touch(tr, touched, pos, pos);
  if (lines.length === 0) {
    step(tr, new ReplaceStep(pos, pos, new Slice(Fragment.from(tail), 0, 0)));
    return;
  }
  const lineStart = at.linePos;
  // Open on both sides: the first new line continues the current line's head,
  // the last one carries the current line's tail and keeps its formats.
  const nodes = lines.map(({ inline, attrs }) => lineType.create(attrs, inline));
  nodes.push(lineType.create(at.node.attrs, tail));
  step(tr, new ReplaceStep(pos, pos, new Slice(Fragment.from(nodes), 1, 1)));
  // The head kept the current node (ProseMirror keeps the open start's node); its "\n" is the first inserted one.
  setLineAttrs(tr, lineStart, tr.doc.nodeAt(lineStart)!, lines[0].attrs);
}

/** Appends whole lines after the final "\n" (an insert at the very end of the document). */
function appendLines(tr: Transaction, touched: Touched, ops: readonly Op[]): void {
  const schema = tr.doc.type.schema;
  const lineType = schema.nodes[LINE_NODE];
  const lines: PmNode[] = [];
  const tail = collectLines(schema, ops as Op[], (inline, attrs) =>
    lines.push(lineType.create(attrs, inline)),
  );
  if (tail.length > 0)
    throw new DoesNotFit(OtErrorCode.MISSING_FINAL_NEWLINE, 'the document would not end in "\\n"');
  const end = tr.doc.content.size;
  touch(tr, touched, end, end);
  step(tr, new ReplaceStep(end, end, new Slice(Fragment.from(lines), 0, 0)));
}

function deleteAt(tr: Transaction, touched: Touched, index: number, count: number): void {
  const doc = tr.doc;
  const length = deltaLength(doc);
  if (index + count > length)
    throw new DoesNotFit(
      OtErrorCode.OP_OUT_OF_RANGE,
      `delete of ${count} at ${index} runs past the end (${length})`,
    );
  const first = locateIndex(doc, index);
  if (index + count === length) {
    // The final "\n" goes: only whole lines can go with it, and something must remain before.
    if (first.pos !== first.linePos + 1 || first.line === 0) {
      throw new DoesNotFit(OtErrorCode.MISSING_FINAL_NEWLINE, 'the document would not end in "\\n"');
    }
    touch(tr, touched, first.linePos, doc.content.size);
    step(tr, new ReplaceStep(first.linePos, doc.content.size, Slice.empty));
    return;
  }
  const last = locateIndex(doc, index + count, first);
  touch(tr, touched, first.pos, last.pos);
  step(tr, new ReplaceStep(first.pos, last.pos, Slice.empty));
  if (first.line !== last.line) {
    // The joined line is the first line's node, but its "\n" is the last line's.
    setLineAttrs(tr, first.linePos, tr.doc.nodeAt(first.linePos)!, { ...last.node.attrs });
  }
}

function formatAt(
  tr: Transaction,
  touched: Touched,
  index: number,
  count: number,
  attributes: Record<string, unknown>,
): void {
  const length = deltaLength(tr.doc);
  if (index + count > length)
    throw new DoesNotFit(
      OtErrorCode.OP_OUT_OF_RANGE,
      `retain of ${count} at ${index} runs past the end (${length})`,
    );
  const schema = tr.doc.type.schema;
  const inlineKeys = Object.keys(attributes).filter((key) => !isBlockAttribute(key));
  const hasBlock = inlineKeys.length !== Object.keys(attributes).length;
  // Each key's mark (or, for null, its type to remove) is made once, not once per line.
  const inlineMarks = inlineKeys.map((key) =>
    attributes[key] === null
      ? { remove: schema.marks[key] }
      : { add: attributesToMarks(schema, { [key]: attributes[key] })[0] },
  );
  const end = index + count;
  let lineStartIndex = 0;
  let pos = 0;
  let start: number | null = null;
  for (let i = 0; i < tr.doc.childCount && lineStartIndex < end; i++) {
    const line = tr.doc.child(i);
    const newlineIndex = lineStartIndex + line.content.size;
    start ??= newlineIndex >= index ? pos + 1 + (index - lineStartIndex) : null;
    const from = Math.max(index, lineStartIndex);
    const to = Math.min(end, newlineIndex);
    if (from < to) {
      if (hasBlock)
        throw new DoesNotFit(OtErrorCode.INVALID_ATTRIBUTES, `block attributes on text at ${from}`);
      const pmFrom = pos + 1 + (from - lineStartIndex);
      const pmTo = pos + 1 + (to - lineStartIndex);
      for (const mark of inlineMarks) {
        if (mark.add) tr.addMark(pmFrom, pmTo, mark.add);
        else tr.removeMark(pmFrom, pmTo, mark.remove);
      }
    }
    if (newlineIndex >= index && newlineIndex < end) {
      // This line's "\n" is formatted: block keys go to the node, inline ones to newlineMarks.
      const current = newlineAttributes(line.attrs) ?? {};
      const next: Record<string, unknown> = { ...current };
      for (const key of Object.keys(attributes)) {
        if (attributes[key] === null) delete next[key];
        else next[key] = attributes[key];
      }
      setLineAttrs(tr, pos, line, lineAttrsFromNewline(next));
    }
    lineStartIndex = newlineIndex + 1;
    pos += line.nodeSize;
  }
  // Formats change no sizes: the range ends where the walk stopped (the end's line, or the line after).
  const endPos = lineStartIndex > end ? pos - 1 - (lineStartIndex - 1 - end) : pos + 1;
  touch(tr, touched, start ?? endPos, endPos);
}

/** Applies the (parsed) components of `delta` to `tr`. Throws DoesNotFit. */
function applyOps(tr: Transaction, touched: Touched, ops: readonly Op[]): void {
  let index = 0;
  for (let i = 0; i < ops.length; i++) {
    const op = ops[i];
    if (op.insert !== undefined) {
      if (index === deltaLength(tr.doc)) {
        // Past the final "\n": everything left must be inserts forming whole lines.
        const rest = ops.slice(i);
        if (rest.some((o) => o.insert === undefined)) {
          throw new DoesNotFit(
            OtErrorCode.OP_OUT_OF_RANGE,
            'a retain or delete past the end of the document',
          );
        }
        appendLines(tr, touched, rest);
        return;
      }
      insertAt(tr, touched, index, op);
      index += typeof op.insert === 'string' ? op.insert.length : 1;
    } else if (typeof op.delete === 'number') {
      deleteAt(tr, touched, index, op.delete);
    } else if (typeof op.retain === 'number') {
      if (op.attributes) formatAt(tr, touched, index, op.retain, op.attributes);
      else if (index + op.retain > deltaLength(tr.doc)) {
        throw new DoesNotFit(
          OtErrorCode.OP_OUT_OF_RANGE,
          `retain of ${op.retain} at ${index} runs past the end`,
        );
      }
      index += op.retain;
    }
  }
}

/**
 * The local selection's anchor and head on tr.doc, moved the way libs/ot
 * moves carets (transformSelection, on Delta indexes). Converting a position
 * to an index and back walks the lines before it, so the two cases where the
 * answer is known without converting skip it: a selection wholly before what
 * the change touched keeps its positions, and one wholly after it shifts by
 * the change in size (the Delta index shifts by the characters inserted and
 * deleted, and the position by those plus the lines added or removed). Only
 * a selection touching or inside the changed range is converted, and a
 * caret (anchor = head) is converted once.
 */
function moveSelection(
  state: EditorState,
  tr: Transaction,
  touched: Touched,
  change: Delta,
  own: boolean,
): [number, number] {
  const { anchor, head, from, to } = state.selection;
  if (touched.from === null || to < touched.from) return [anchor, head];
  if (from > touched.to) {
    const shift = tr.doc.content.size - state.doc.content.size;
    return [anchor + shift, head + shift];
  }
  if (anchor === head) {
    const index = pmToIndex(state.doc, head);
    const at = transformSelection({ anchor: index, head: index }, change, own).head;
    const pos = indexToPm(tr.doc, at);
    return [pos, pos];
  }
  const moved = transformSelection(
    { anchor: pmToIndex(state.doc, anchor), head: pmToIndex(state.doc, head) },
    change,
    own,
  );
  return [indexToPm(tr.doc, moved.anchor), indexToPm(tr.doc, moved.head)];
}

/** Characters of the base document a (parsed, so well-formed) change retains or deletes. */
function baseLength(delta: unknown): number {
  const ops = (Array.isArray(delta) ? delta : (delta as { ops: unknown[] }).ops) as Op[];
  let consumed = 0;
  for (const op of ops) consumed += (typeof op.retain === 'number' ? op.retain : 0) + (op.delete ?? 0);
  return consumed;
}

export type ApplyDeltaOptions = Readonly<{
  /** Who made the change; decides how carets at the insertion point move. Default remote. */
  origin?: ChangeOrigin;
}>;

/**
 * A transaction applying `delta` (untrusted: it is parsed with libs/ot's
 * parseOp and checked against the document) to `state`, or a coded refusal
 * that changes nothing.
 *
 * The local selection is moved the way libs/ot moves carets (transformSelection):
 * text someone else inserts exactly at my caret goes after it, a range never
 * grows over their text, and stored marks (bold toggled before typing) stay.
 * Remote and load transactions are kept out of the undo history and marked
 * so the sync plugin never sends them back.
 */
export function applyDelta(
  state: EditorState,
  delta: unknown,
  options: ApplyDeltaOptions = {},
): BindingResult<Transaction> {
  const origin = options.origin ?? ChangeOrigin.remote;
  const parsed = parseOp(delta);
  if (!parsed.ok) return parsed;
  const change = parsed.value;
  // parseOp drops a trailing plain retain, which may still run past the end: the server refuses that.
  const consumed = baseLength(delta);
  const length = deltaLength(state.doc);
  if (consumed > length) {
    return refuse(
      OtErrorCode.OP_OUT_OF_RANGE,
      `the change spans ${consumed} characters, the document has ${length}`,
    );
  }
  const tr = state.tr;
  const touched: Touched = { before: state.doc, from: null, to: 0 };
  try {
    applyOps(tr, touched, change.ops);
  } catch (error) {
    if (error instanceof DoesNotFit) return refuse(error.code, error.message);
    throw error;
  }
  const selection = state.selection;
  if (selection instanceof TextSelection) {
    const own = origin === ChangeOrigin.undo || origin === ChangeOrigin.redo;
    const [anchor, head] = moveSelection(state, tr, touched, change, own);
    tr.setSelection(TextSelection.create(tr.doc, anchor, head));
    if (state.storedMarks) tr.setStoredMarks(state.storedMarks);
  }
  setDeltaMeta(tr, { origin, delta: change });
  if (origin === ChangeOrigin.remote || origin === ChangeOrigin.load) tr.setMeta('addToHistory', false);
  return { ok: true, value: tr };
}
