// One timed typing phase of the end-to-end benchmarks (bench/e2e,
// bench/comments): type for `seconds`, count what was committed, wait until
// every editor has its acknowledgements (only then are the heads final), and
// check each editor against its document's durable head. The figure is
// printed before a divergence fails the run, so the numbers of a failed run
// are still there to read.
import { converged, percentiles, type } from '../e2e/editors.mjs';
import { committedCount, headVersions } from '../e2e/seed.mjs';

/**
 * `editors` are open on `docs` (in the order openEditors opened them).
 * `labels` stand in the figure after phase/documents/editors; `probes` map a
 * figure key to a start function (called, in order, just before typing) whose
 * returned stop function (called, in reverse order, just after) gives that
 * key's value; the values stand last in the figure, in stop order.
 * Closes the editors; returns the figure (also passed to `emit`).
 */
export async function measureTypingPhase({
  name,
  databaseUrl,
  docs,
  editors,
  seconds,
  ratePerEditor,
  labels = {},
  probes = {},
  emit,
}) {
  const flat = docs.flatMap((d) => d.editors.map(() => d.docId));
  const docIdOf = new Map(editors.map((doc, i) => [doc, flat[i]]));
  const before = await committedCount(databaseUrl);
  const stops = [];
  for (const [key, start] of Object.entries(probes)) stops.push([key, await start()]);
  const started = performance.now();
  const latencies = await type(editors, { seconds, ratePerEditor });
  const elapsed = (performance.now() - started) / 1000;
  const measured = {};
  // Last started, first stopped: each probe's span encloses the typing and the probes started after it.
  for (const [key, stop] of stops.reverse()) measured[key] = await stop();
  const committed = (await committedCount(databaseUrl)) - before;
  // Every editor has its acknowledgements: the heads are final.
  for (const doc of editors) await doc.whenSynced(30_000);
  const heads = await headVersions(
    databaseUrl,
    docs.map((d) => d.docId),
  );
  const ok = await converged(editors, (doc) => docIdOf.get(doc), heads);
  for (const doc of editors) doc.close();
  const figure = {
    phase: name,
    documents: docs.length,
    editors: editors.length,
    ...labels,
    committed_ops_s: Math.round(committed / elapsed),
    acks: latencies.length,
    ...percentiles(latencies),
    converged: ok,
    ...measured,
  };
  emit(figure);
  if (!ok) throw new Error(`${name}: editors did not converge`);
  return figure;
}
