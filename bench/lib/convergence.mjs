// Convergence against the durable copy: after typing has stopped and every
// operation is acknowledged, each editor must reach its document's durable
// version (broadcasts travel apart from acknowledgements, so an editor may
// still be receiving others' last operations) and then hold exactly the
// durable content. Contents are compared as canonical JSON (sorted keys).
import { canonicalJson } from './canonical-json.mjs';

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * `durable`: docId -> { version, ops } read from the system's database.
 * `view(editor)`: { docId, version, ops } of the editor's local copy.
 * Returns { converged, editors, documents, diverged: [first few differences] }.
 */
export async function checkAgainstDurable(editors, durable, view, { timeoutMs = 30_000 } = {}) {
  const deadline = Date.now() + timeoutMs;
  const behind = () =>
    editors.filter((e) => {
      const { docId, version } = view(e);
      return version < (durable.get(docId)?.version ?? 0);
    });
  while (behind().length > 0 && Date.now() < deadline) await sleep(50);
  const expected = new Map([...durable].map(([docId, d]) => [docId, canonicalJson(d.ops)]));
  const diverged = [];
  for (const editor of editors) {
    const { docId, version, ops } = view(editor);
    const copy = durable.get(docId);
    if (copy && version === copy.version && canonicalJson(ops) === expected.get(docId)) continue;
    diverged.push({
      docId,
      durable_version: copy?.version ?? null,
      editor_version: version,
      durable_length: copy ? lengthOf(copy.ops) : null,
      editor_length: lengthOf(ops),
    });
  }
  return {
    converged: diverged.length === 0,
    editors: editors.length,
    documents: durable.size,
    diverged_editors: diverged.length,
    diverged: diverged.slice(0, 5),
  };
}

function lengthOf(ops) {
  return ops.reduce((n, op) => n + (typeof op.insert === 'string' ? op.insert.length : 1), 0);
}
