// Editors that type through the client SDK, as people do: one character at
// a time at a random place, each acknowledged (durable) before the next
// goes out, either as fast as acknowledgements come back (closed loop) or
// at a fixed rate (open loop, for latency at a given load).
import { createRequire } from 'node:module';
import { typeEach } from '../lib/paced.mjs';

const require = createRequire(import.meta.url);
const { CollabDocument } = require('../../libs/client/dist/index.js');
const Delta = require('quill-delta');

/** Opens one CollabDocument per editor, `parallel` at a time. */
export async function openEditors(url, docs, parallel = 50) {
  const all = docs.flatMap((d) => d.editors.map((e) => ({ docId: d.docId, token: e.token })));
  const editors = [];
  for (let i = 0; i < all.length; i += parallel) {
    const batch = all.slice(i, i + parallel).map(async ({ docId, token }) => {
      const doc = new CollabDocument({ url, docId, token: () => token });
      await doc.open();
      return doc;
    });
    editors.push(...(await Promise.all(batch)));
  }
  return editors;
}

/**
 * Runs every editor for `seconds`. `ratePerEditor` ops/s per editor, or
 * null for as fast as acknowledgements allow. Returns acknowledgement
 * latencies in ms (submit to durable acknowledgement).
 */
export async function type(editors, { seconds, ratePerEditor = null }) {
  const latencies = [];
  // BENCH_TIMELINE=1: latency per second of the phase on stderr (where stalls are).
  const timeline = process.env.BENCH_TIMELINE ? [] : undefined;
  const phaseStart = performance.now();
  await typeEach(editors, { seconds, ratePerEditor }, async (doc, i) => {
    const length = doc.length - 1;
    const at = Math.floor(Math.random() * (length + 1));
    const started = performance.now();
    const acked = new Promise((resolve) => {
      const onPending = (count) => {
        if (count !== 0) return;
        doc.off('pending', onPending);
        resolve();
      };
      doc.on('pending', onPending);
    });
    doc.submit(new Delta().retain(at).insert(String.fromCharCode(97 + (i % 26))));
    await acked;
    latencies.push(performance.now() - started);
    timeline?.push([started, performance.now() - started]);
  });
  if (timeline) printTimeline(timeline, phaseStart);
  return latencies;
}

function printTimeline(timeline, phaseStart) {
  const bySecond = new Map();
  for (const [started, ms] of timeline) {
    const second = Math.floor((started - phaseStart) / 1000);
    if (!bySecond.has(second)) bySecond.set(second, []);
    bySecond.get(second).push(ms);
  }
  for (const [second, values] of [...bySecond].sort((a, b) => a[0] - b[0])) {
    console.error(JSON.stringify({ second, ops: values.length, ...percentiles(values) }));
  }
}

export function percentiles(values) {
  const sorted = Float64Array.from(values).sort();
  const at = (p) =>
    sorted.length === 0 ? null : round(sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]);
  return { p50_ms: at(0.5), p99_ms: at(0.99), p999_ms: at(0.999), max_ms: at(1) };
}

const round = (x) => Math.round(x * 100) / 100;
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/**
 * Waits until every editor is at its document's head (`heads`, read from
 * PostgreSQL after typing stopped: acknowledgements and broadcasts travel
 * separately, so an editor with nothing pending may still have others'
 * last operations on their way), then checks that the editors of each
 * document hold the same content.
 */
export async function converged(editors, docIdOf, heads, timeoutMs = 30_000) {
  const deadline = Date.now() + timeoutMs;
  for (const doc of editors) await doc.whenSynced(Math.max(1, deadline - Date.now()));
  const behind = () => editors.filter((doc) => doc.version < heads.get(docIdOf(doc)));
  while (behind().length > 0 && Date.now() < deadline) await sleep(50);
  const byDoc = new Map();
  for (const doc of editors) {
    const text = JSON.stringify(doc.document.ops);
    const seen = byDoc.get(docIdOf(doc));
    if (doc.version !== heads.get(docIdOf(doc)) || (seen !== undefined && seen !== text)) {
      const others = editors.filter((e) => docIdOf(e) === docIdOf(doc));
      console.error(
        JSON.stringify({
          diverged: docIdOf(doc),
          head: heads.get(docIdOf(doc)),
          editors: others.map((e) => ({
            version: e.version,
            pending: e.pendingCount,
            length: e.text.length,
          })),
        }),
      );
      return false;
    }
    byDoc.set(docIdOf(doc), text);
  }
  return true;
}
