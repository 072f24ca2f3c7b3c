import { type Node as PmNode } from '@tiptap/pm/model';
import { type EditorState, TextSelection } from '@tiptap/pm/state';
import { type DeltaSelection } from '@collab/ot';
import { indexToPm, pmToIndex } from './positions';

/** Quill's form of a selection: where it starts and how many characters it covers. */
export type IndexRange = Readonly<{ index: number; length: number }>;

/** The editor selection in Delta indexes (anchor and head keep the direction). */
export function selectionToDelta(state: EditorState): DeltaSelection {
  const { anchor, head } = state.selection;
  return { anchor: pmToIndex(state.doc, anchor), head: pmToIndex(state.doc, head) };
}

/** A Delta selection as an editor TextSelection on `doc` (clamped to the document). */
export function selectionFromDelta(doc: PmNode, selection: DeltaSelection): TextSelection {
  return TextSelection.create(doc, indexToPm(doc, selection.anchor), indexToPm(doc, selection.head));
}

/** {anchor, head} -> {index, length}. */
export function toIndexRange(selection: DeltaSelection): IndexRange {
  return {
    index: Math.min(selection.anchor, selection.head),
    length: Math.abs(selection.head - selection.anchor),
  };
}

/** {index, length} -> a forward {anchor, head}. */
export function fromIndexRange(range: IndexRange): DeltaSelection {
  return { anchor: range.index, head: range.index + range.length };
}
