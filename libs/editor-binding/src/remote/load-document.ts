import { type EditorState, TextSelection, type Transaction } from '@tiptap/pm/state';
import Delta from 'quill-delta';
import { type BindingResult } from '../binding-errors';
import { deltaToDoc } from '../convert/delta-to-doc';
import { indexToPm, pmToIndex } from '../convert/positions';
import { ChangeOrigin, setDeltaMeta } from '../local/change-origin';

/**
 * A transaction replacing the whole editor document with a Delta document
 * (first load, or a resync after a refused remote change). It is not an edit:
 * it is never sent, and it empties the undo history (undo entries refer to
 * the replaced document). The caret keeps its Delta index, clamped.
 */
export function loadDocument(state: EditorState, document: unknown): BindingResult<Transaction> {
  const built = deltaToDoc(state.schema, document);
  if (!built.ok) return built;
  const caret = pmToIndex(state.doc, state.selection.head);
  const tr = state.tr.replaceWith(0, state.doc.content.size, built.value.content);
  const at = indexToPm(tr.doc, caret);
  tr.setSelection(TextSelection.create(tr.doc, at));
  setDeltaMeta(tr, { origin: ChangeOrigin.load, delta: new Delta() });
  tr.setMeta('addToHistory', false);
  return { ok: true, value: tr };
}
