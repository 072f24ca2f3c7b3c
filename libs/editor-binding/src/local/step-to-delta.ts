import { type Node as PmNode } from '@tiptap/pm/model';
import {
  AddMarkStep,
  AddNodeMarkStep,
  AttrStep,
  DocAttrStep,
  RemoveMarkStep,
  RemoveNodeMarkStep,
  ReplaceAroundStep,
  ReplaceStep,
  type Step,
} from '@tiptap/pm/transform';
import { hasLoneSurrogate } from '@collab/ot';
import Delta from 'quill-delta';
import { appendRange, deltaBetween, NotADeltaDocument } from '../convert/doc-to-delta';
import { lineAt, pmToIndex } from '../convert/positions';
import { attributesChange, newlineAttributes } from '../schema/line-format';

/*
 * One ProseMirror step -> the Delta of the same change, without serializing
 * the document.
 *
 * ReplaceStep (typing, deleting, Enter, joining lines, paste) is mapped
 * exactly, so concurrent edits keep their intent: the Delta deletes exactly
 * the replaced characters and inserts exactly the new ones at the step's
 * position. The one subtlety is the "\n" right after the replaced range: in
 * ProseMirror a line's formats live on the node, whose open token may now be
 * a different one (joining two lines keeps the first line's node, Quill keeps
 * the second line's "\n"), so when that line's formats differ from what its
 * "\n" carried before, a format retain on the "\n" follows.
 *
 * Every other step (marks, line attributes, ReplaceAroundStep from
 * setNodeMarkup) keeps the text as it is; for those the touched lines, and
 * only those, are serialized before and after and diffed: with equal text
 * the diff is a list of format retains, unambiguous and as small as the range.
 */

/** Delta of a ReplaceStep between `before` and `after`. */
function replaceToDelta(step: ReplaceStep, before: PmNode, after: PmNode): Delta {
  const { from, to } = step;
  const insertEnd = from + step.slice.size;
  const start = pmToIndex(before, from);
  const delta = new Delta().retain(start).delete(pmToIndex(before, to) - start);
  appendRange(delta, after, from, insertEnd);
  checkSurrogates(after, from, insertEnd);
  const oldLine = lineAt(before, to);
  const newLine = lineAt(after, insertEnd);
  if (oldLine && newLine) {
    const change = attributesChange(
      newlineAttributes(oldLine.node.attrs),
      newlineAttributes(newLine.node.attrs),
    );
    if (change) {
      const newlineIndex = pmToIndex(after, newLine.pos + newLine.node.nodeSize - 1);
      delta.retain(newlineIndex - pmToIndex(after, insertEnd)).retain(1, change);
    }
  }
  return delta.chop();
}

/**
 * A replace that cut a surrogate pair in two would leave a lone half, which
 * libs/ot refuses: look at the lines around both ends of the change.
 */
function checkSurrogates(doc: PmNode, from: number, to: number): void {
  const first = lineAt(doc, from);
  const last = lineAt(doc, to);
  for (const line of first === last || !last ? [first] : [first, last]) {
    if (line && hasLoneSurrogate(line.node.textContent))
      throw new NotADeltaDocument('a lone surrogate in the edited line');
  }
}

/** The range [from, to) of `before` a non-replace step touches. */
function touchedRange(step: Step, before: PmNode): [number, number] {
  if (step instanceof AddMarkStep || step instanceof RemoveMarkStep || step instanceof ReplaceAroundStep) {
    return [step.from, step.to];
  }
  if (step instanceof AttrStep || step instanceof AddNodeMarkStep || step instanceof RemoveNodeMarkStep) {
    const node = before.nodeAt(step.pos);
    return [step.pos, step.pos + (node ? node.nodeSize : 0)];
  }
  return [0, before.content.size];
}

/** The lines overlapping [from, to] as a ProseMirror range of whole lines. */
function wholeLines(doc: PmNode, from: number, to: number): [number, number] {
  const first = lineAt(doc, from);
  const last = lineAt(doc, Math.max(from, to - 1));
  const start = first ? first.pos : doc.content.size;
  const end = last ? last.pos + last.node.nodeSize : doc.content.size;
  return [start, end];
}

function diffLines(step: Step, before: PmNode, after: PmNode): Delta {
  const [from, to] = touchedRange(step, before);
  const map = step.getMap();
  const [oldStart, oldEnd] = wholeLines(before, from, to);
  const [newStart, newEnd] = wholeLines(after, map.map(from, -1), map.map(to, 1));
  if (newStart !== oldStart) throw new NotADeltaDocument('a step changed the document before its own range');
  const change = deltaBetween(before, oldStart, oldEnd).diff(deltaBetween(after, newStart, newEnd));
  return new Delta().retain(pmToIndex(before, oldStart)).concat(change).chop();
}

/**
 * The Delta of one step, applied to `before` giving `after`. Throws
 * NotADeltaDocument when the result leaves the flat line model.
 */
export function stepToDelta(step: Step, before: PmNode, after: PmNode): Delta {
  if (step instanceof ReplaceStep) return replaceToDelta(step, before, after);
  // Document attributes are not part of the Delta.
  if (step instanceof DocAttrStep) return new Delta();
  return diffLines(step, before, after);
}
