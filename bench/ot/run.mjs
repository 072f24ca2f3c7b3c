// Replays real editing traces through the server side of libs/ot and through
// plain quill-delta, and prints one JSON line per figure. A benchmark, not a
// test: it fails only when a replay produces the wrong text, never on timing.
//
//   npm run bench:ot                 (builds @collab/ot first)
//   node bench/ot/run.mjs            (uses libs/ot/dist as built)
//
// Environment: BENCH_REPS (timed repetitions per path, default 5; compose gets
// at most 3 because one pass over automerge-paper takes seconds),
// OT_TRACES_DIR (default: ../shared/traces next to the repository).
//
// Paths, all fed the same pre-built operations (one quill-delta op per txn):
//   apply      validateOp(raw JSON op, doc) + ChunkedDocument#apply
//   transform  the server pipeline with one concurrent op per txn: another
//              client's op C is validated, applied and pushed to the
//              OperationWindow; then the trace op, made one version earlier,
//              goes through parseOp, window.transformSince (against C),
//              validateOp and apply. C alternately inserts and deletes a "#"
//              at the start, so the final text is endContent with at most one
//              leading "#", and the trace op as sent accounts for the "#"
//              present when it was made. ops_per_s counts trace txns (each
//              txn costs two server submissions).
//   compose    doc = doc.compose(op) on a quill-delta document.
//   anchors    500 comment anchors moved through the trace's last 500
//              transactions with transformAnchor (what the first read of
//              comments after typing costs), checked against quill-delta.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';

const here = path.dirname(fileURLToPath(import.meta.url));
const repoRoot = path.resolve(here, '../..');
const tracesDir = process.env.OT_TRACES_DIR ?? path.resolve(repoRoot, '../shared/traces');
const reps = Math.max(1, Number(process.env.BENCH_REPS ?? 5));

const require = createRequire(import.meta.url);
const ot = require('../../libs/ot/dist/index.js');
const Delta = require('quill-delta');

const TRACES = ['automerge-paper', 'seph-blog1'];
const MARKER = '#';

function loadTrace(name) {
  const file = path.join(tracesDir, `${name}.json.gz`);
  const trace = JSON.parse(gunzipSync(readFileSync(file)).toString('utf8'));
  if (trace.startContent !== '') throw new Error(`${name}: startContent is not empty`);
  // Positions are in code points; they equal UTF-16 offsets only without astral characters.
  for (const txn of trace.txns) {
    for (const [, , text] of txn.patches) {
      if (/[\ud800-\udfff]/.test(text)) throw new Error(`${name}: astral characters are not supported here`);
    }
  }
  return trace;
}

/** One Delta per txn: its patches (descending positions) composed in order. */
function txnDelta(patches) {
  let delta = null;
  for (const [position, deleteCount, text] of patches) {
    const patch = new Delta().retain(position).insert(text).delete(deleteCount).chop();
    delta = delta === null ? patch : delta.compose(patch);
  }
  return delta;
}

/** Plain JSON, as an op arrives from a socket. */
const wire = (delta) => JSON.parse(JSON.stringify(delta.ops));

function prepare(trace) {
  const deltas = trace.txns.map((txn) => txnDelta(txn.patches));
  const applyOps = deltas.map(wire);
  // Transform path: before txn i the marker is present when i is odd.
  const concurrent = [];
  const shifted = [];
  deltas.forEach((delta, i) => {
    const markerPresent = i % 2 === 1;
    concurrent.push(markerPresent ? [{ delete: 1 }] : [{ insert: MARKER }]);
    shifted.push(wire(markerPresent ? new Delta().retain(1).concat(delta) : delta));
  });
  const expected = trace.endContent + '\n';
  const expectedWithMarker = (deltas.length % 2 === 1 ? MARKER : '') + expected;
  return { deltas, applyOps, concurrent, shifted, expected, expectedWithMarker };
}

function mustBeOk(result, where) {
  if (!result.ok) throw new Error(`${where}: ${result.code} ${result.message}`);
  return result.value;
}

const PATHS = {
  apply(data) {
    const doc = ot.ChunkedDocument.empty();
    const ops = data.applyOps;
    for (let i = 0; i < ops.length; i++) {
      const result = ot.validateOp(ops[i], doc);
      if (!result.ok) mustBeOk(result, `apply txn ${i}`);
      doc.apply(result.value);
    }
    return { text: doc.toText(), expected: data.expected };
  },
  transform(data) {
    const doc = ot.ChunkedDocument.empty();
    const window = new ot.OperationWindow({ capacity: 256 });
    const { concurrent, shifted } = data;
    for (let i = 0; i < shifted.length; i++) {
      const c = mustBeOk(ot.validateOp(concurrent[i], doc), `concurrent op ${i}`);
      doc.apply(c);
      window.push(c);
      const parsed = mustBeOk(ot.parseOp(shifted[i]), `parse txn ${i}`);
      const rebased = mustBeOk(window.transformSince(parsed, window.headVersion - 1), `transform txn ${i}`);
      const op = mustBeOk(ot.validateOp(rebased, doc), `validate txn ${i}`);
      doc.apply(op);
      window.push(op);
    }
    return { text: doc.toText(), expected: data.expectedWithMarker };
  },
  compose(data) {
    let doc = new Delta().insert('\n');
    const deltas = data.deltas;
    for (let i = 0; i < deltas.length; i++) doc = doc.compose(deltas[i]);
    const text = doc.ops.map((op) => (typeof op.insert === 'string' ? op.insert : '\ufffc')).join('');
    return { text, expected: data.expected };
  },
};

function runOnce(pathName, data, traceName) {
  const start = process.hrtime.bigint();
  const { text, expected } = PATHS[pathName](data);
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  if (text !== expected) {
    throw new Error(
      `${traceName}/${pathName}: final text differs from endContent (length ${text.length} vs ${expected.length})`,
    );
  }
  return ms;
}

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};

const figures = {};
for (const traceName of TRACES) {
  const trace = loadTrace(traceName);
  const data = prepare(trace);
  const txns = data.deltas.length;
  for (const pathName of Object.keys(PATHS)) {
    const n = pathName === 'compose' ? Math.min(reps, 3) : reps;
    runOnce(pathName, data, traceName); // warm-up (and the correctness check)
    const runs = [];
    for (let r = 0; r < n; r++) runs.push(runOnce(pathName, data, traceName));
    const ms = median(runs);
    const opsPerS = Math.round((txns / ms) * 1000);
    figures[`${traceName}/${pathName}`] = opsPerS;
    console.log(
      JSON.stringify({
        bench: 'ot',
        trace: traceName,
        path: pathName,
        ops_per_s: opsPerS,
        txns,
        median_ms: Math.round(ms * 10) / 10,
        runs_ms: runs.map((x) => Math.round(x)),
      }),
    );
  }
}

// Anchors: what the first read of comments after typing costs (anchorsAtVersion):
// ANCHORS comment anchors spread over the text as it was ANCHOR_OPS transactions
// before the end of automerge-paper, moved through those transactions as the log
// stores them (ops arrays). Checked against the same rules applied with
// quill-delta's own transformPosition (the edges' priorities, the collapse).
const ANCHORS = 500;
const ANCHOR_OPS = 500;

function referenceAnchor(anchor, ops) {
  const delta = new Delta(ops);
  const version = anchor.version + 1;
  if (anchor.detached) {
    const at = delta.transformPosition(anchor.from, true);
    return { from: at, to: at, version, detached: true };
  }
  const from = delta.transformPosition(anchor.from, false);
  const to = delta.transformPosition(anchor.to, true);
  if (from < to) return { from, to, version, detached: false };
  return { from: Math.min(from, to), to: Math.min(from, to), version, detached: true };
}

function anchorFigure() {
  const data = prepare(loadTrace('automerge-paper'));
  const start = data.deltas.length - ANCHOR_OPS;
  const length = 1 + data.deltas.slice(0, start).reduce((sum, d) => sum + d.changeLength(), 0);
  const anchors = Array.from({ length: ANCHORS }, (_, k) => {
    const from = Math.floor((k * (length - 8)) / ANCHORS);
    return { from, to: from + 6, version: start, detached: false };
  });
  const ops = data.applyOps.slice(start);
  const move = (step) => {
    let out = anchors;
    for (const op of ops) out = out.map((a) => step(a, op));
    return out;
  };
  const expected = JSON.stringify(move(referenceAnchor));
  const runs = [];
  for (let r = 0; r <= reps; r++) {
    const t = process.hrtime.bigint();
    const moved = move(ot.transformAnchor);
    runs.push(Number(process.hrtime.bigint() - t) / 1e6);
    if (JSON.stringify(moved) !== expected)
      throw new Error('anchors: transformAnchor differs from the reference');
  }
  runs.shift(); // the warm-up
  const ms = median(runs);
  console.log(
    JSON.stringify({
      bench: 'ot',
      trace: 'automerge-paper',
      path: 'anchors',
      anchors: ANCHORS,
      operations: ANCHOR_OPS,
      anchor_moves_per_s: Math.round(((ANCHORS * ANCHOR_OPS) / ms) * 1000),
      median_ms: Math.round(ms * 10) / 10,
      runs_ms: runs.map((x) => Math.round(x * 10) / 10),
    }),
  );
}
anchorFigure();

const apply = figures['automerge-paper/apply'];
const compose = figures['automerge-paper/compose'];
console.log(
  JSON.stringify({
    bench: 'ot',
    trace: 'automerge-paper',
    apply_ops_per_s: apply,
    ratio_vs_compose: Math.round((apply / compose) * 10) / 10,
  }),
);
