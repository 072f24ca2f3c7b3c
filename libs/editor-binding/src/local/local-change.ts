import { type Transaction } from '@tiptap/pm/state';
import { parseOp } from '@collab/ot';
import Delta from 'quill-delta';
import { BindingErrorCode, type BindingResult, refuse } from '../binding-errors';
import { NotADeltaDocument } from '../convert/doc-to-delta';
import { getDeltaMeta, isForeign } from './change-origin';
import { stepToDelta } from './step-to-delta';

// Keyed by transaction; the step count guards against a transaction that grew after it was asked about.
const cache = new WeakMap<Transaction, { steps: number; result: BindingResult<Delta | null> }>();

function compute(tr: Transaction): BindingResult<Delta | null> {
  if (!tr.docChanged || isForeign(tr)) return { ok: true, value: null };
  const meta = getDeltaMeta(tr);
  if (meta) return { ok: true, value: meta.delta };
  let delta = new Delta();
  try {
    for (let i = 0; i < tr.steps.length; i++) {
      const before = tr.docs[i];
      const after = i + 1 < tr.docs.length ? tr.docs[i + 1] : tr.doc;
      const change = stepToDelta(tr.steps[i], before, after);
      delta = i === 0 ? change : delta.compose(change);
    }
  } catch (error) {
    if (error instanceof NotADeltaDocument) return refuse(BindingErrorCode.UNMAPPABLE_EDIT, error.message);
    throw error;
  }
  // The same checks the server makes on shape, attributes and text: an edit
  // the server would refuse must not happen in the editor either.
  const checked = parseOp(delta);
  if (!checked.ok) return checked;
  return { ok: true, value: checked.value.ops.length === 0 ? null : checked.value };
}

/**
 * The Delta of this user's edit made by `tr` (null when it changes nothing in
 * the Delta, or is a remote change or a document load). Computed once per
 * transaction: the sync plugin asks when filtering, the history and the
 * binding ask again after.
 */
export function localChangeOf(tr: Transaction): BindingResult<Delta | null> {
  const cached = cache.get(tr);
  if (cached && cached.steps === tr.steps.length) return cached.result;
  const result = compute(tr);
  cache.set(tr, { steps: tr.steps.length, result });
  return result;
}
