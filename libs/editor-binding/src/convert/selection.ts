import { type EditorState } from '@tiptap/pm/state';
import { type DeltaSelection } from '@collab/ot';
import { pmToIndex } from './positions';

/** The editor selection in Delta indexes (anchor and head keep the direction). */
export function selectionToDelta(state: EditorState): DeltaSelection {
  const { anchor, head } = state.selection;
  return { anchor: pmToIndex(state.doc, anchor), head: pmToIndex(state.doc, head) };
}
