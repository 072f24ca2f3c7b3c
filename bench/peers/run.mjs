// bench/peers: this stack and ShareDB 7 side by side, one after the other,
// under the same load generator (bench/peers/load.mjs): many documents with
// a few editors each typing lightly (Poisson arrivals), a ramp of the rate,
// an overload phase, and one document with many editors. Prints one JSON line
// per figure, the headline last. Fails only when an editor's copy differs
// from its system's durable copy in PostgreSQL, never on timing.
//
//   npm run bench:peers        (builds the apps and the SDK first)
//   node bench/peers/run.mjs   (uses the built apps)
//
// Environment: BENCH_DOCS (1000), BENCH_EDITORS (4 per document), BENCH_RATE
// (light rate, ops/s in all: 100), BENCH_SECONDS (light phase: 60),
// BENCH_STEP_SECONDS (ramp step: 10), BENCH_RAMP_FACTOR (1.25),
// BENCH_RAMP_MAX (ops/s: 5000), BENCH_LIMIT_MS (p99 bound of the ramp: 100),
// BENCH_OVERLOAD_RATES (offered ops/s, each a phase: 1600,3200),
// BENCH_OVERLOAD_SECONDS (20), BENCH_HOT_EDITORS
// (200), BENCH_HOT_START (hot ramp's first rate: 10), BENCH_SYSTEMS
// (stack,sharedb), BENCH_PHASES (light,ramp,overload,hot),
// BENCH_DOC_SERVICES (1), BENCH_WORKERS (1), BENCH_PORT (3960; ShareDB 3990),
// BENCH_NODE_ARGS (node flags for this stack's services, e.g. --cpu-prof),
// DATABASE_URL / REDIS_URL (servers; default local).
import { checkAgainstDurable } from '../lib/convergence.mjs';
import { serverRoots } from '../lib/cpu-account.mjs';
import { ramp, runPhase } from './load.mjs';
import { startShareDbSystem } from './sharedb-system.mjs';
import { startStackSystem } from './stack-system.mjs';

const num = (name, fallback) => Number(process.env[name] ?? fallback);
const list = (name, fallback) => new Set((process.env[name] ?? fallback).split(',').map((s) => s.trim()));
const config = {
  documents: num('BENCH_DOCS', 1000),
  editorsPerDoc: num('BENCH_EDITORS', 4),
  rate: num('BENCH_RATE', 100),
  seconds: num('BENCH_SECONDS', 60),
  stepSeconds: num('BENCH_STEP_SECONDS', 10),
  factor: num('BENCH_RAMP_FACTOR', 1.25),
  maxRate: num('BENCH_RAMP_MAX', 5000),
  limitMs: num('BENCH_LIMIT_MS', 100),
  // Overload means more offered than a system carries. 1,600 ops/s is the
  // issue's original figure, but this stack acknowledges all of it on this
  // machine (its ramp reaches about 1,500 and its closed loop about 2,100),
  // so there the ratio measures the offered rate. 3,200 is past both
  // systems' capacity; the headline takes the highest rate offered.
  overloadRates: (process.env.BENCH_OVERLOAD_RATES ?? '1600,3200')
    .split(',')
    .map(Number)
    .filter((r) => r > 0)
    .sort((a, b) => a - b),
  overloadSeconds: num('BENCH_OVERLOAD_SECONDS', 20),
  hotEditors: num('BENCH_HOT_EDITORS', 200),
  hotStart: num('BENCH_HOT_START', 10),
  docServices: num('BENCH_DOC_SERVICES', 1),
  workers: num('BENCH_WORKERS', 1),
  port: num('BENCH_PORT', 3960),
  sharedbPort: num('BENCH_SHAREDB_PORT', 3990),
};
const systems = list('BENCH_SYSTEMS', 'stack,sharedb');
const phases = list('BENCH_PHASES', 'light,ramp,overload,hot');
const nodeArgs = (process.env.BENCH_NODE_ARGS ?? '').split(' ').filter(Boolean);

/** One JSON line; a phase's monotonic window only when profiling (bench/lib/cpu-profile.mjs cuts by it). */
const emit = ({ window_us, ...figure }) =>
  console.log(
    JSON.stringify({ bench: 'peers', ...figure, ...(nodeArgs.length > 0 && window_us ? { window_us } : {}) }),
  );

const STARTERS = {
  stack: () =>
    startStackSystem({
      port: config.port,
      docServices: config.docServices,
      workers: config.workers,
      nodeArgs,
    }),
  sharedb: () => startShareDbSystem({ port: config.sharedbPort }),
};

/** Opens the editors of `documents` x `editorsPerDoc`, runs `work`, checks convergence, closes them. */
async function withEditors(system, documents, editorsPerDoc, work) {
  const docs = await system.createDocuments(documents, editorsPerDoc);
  const opened = performance.now();
  const editors = await system.open(docs);
  emit({
    system: system.name,
    step: 'open',
    editors: editors.length,
    documents,
    ms: Math.round(performance.now() - opened),
  });
  try {
    const result = await work(editors);
    await system.settle(editors);
    const durable = await system.durable(docs.map((d) => d.docId));
    const check = await checkAgainstDurable(editors, durable, system.view);
    emit({ system: system.name, step: 'convergence', ...check });
    if (!check.converged)
      throw new Error(`${system.name}: ${check.diverged_editors} editors differ from the durable copy`);
    return result;
  } finally {
    system.close(editors);
  }
}

async function measure(system, servers) {
  const out = { system: system.name };
  const rampOf = (label, editors, start) =>
    ramp(system, editors, {
      start,
      factor: config.factor,
      stepSeconds: config.stepSeconds,
      maxRate: config.maxRate,
      limitMs: config.limitMs,
      servers,
      onStep: (step) => emit({ system: system.name, phase: label, ...step }),
    });
  const manyPhases = ['light', 'ramp', 'overload'].filter((p) => phases.has(p));
  if (manyPhases.length > 0) {
    await withEditors(system, config.documents, config.editorsPerDoc, async (editors) => {
      if (phases.has('light')) {
        out.light = await runPhase(system, editors, { seconds: config.seconds, rate: config.rate, servers });
        emit({ system: system.name, phase: 'light', ...out.light });
      }
      if (phases.has('ramp')) out.ramp_max_ops_s = await rampOf('ramp', editors, config.rate);
      if (phases.has('overload')) {
        out.overload = {};
        for (const rate of config.overloadRates) {
          out.overload[rate] = await runPhase(system, editors, {
            seconds: config.overloadSeconds,
            rate,
            servers,
          });
          emit({ system: system.name, phase: 'overload', ...out.overload[rate] });
        }
      }
    });
  }
  if (phases.has('hot')) {
    out.hot_max_ops_s = await withEditors(system, 1, config.hotEditors, (editors) =>
      rampOf('hot-ramp', editors, config.hotStart),
    );
  }
  return out;
}

const ratio = (a, b) =>
  typeof a === 'number' && typeof b === 'number' && b !== 0 ? Math.round((a / b) * 100) / 100 : null;

function summary(results) {
  const { stack, sharedb } = results;
  const pick = (r) => ({
    light_p50_ms: r?.light?.p50_ms ?? null,
    light_p99_ms: r?.light?.p99_ms ?? null,
    light_p999_ms: r?.light?.p999_ms ?? null,
    light_max_ms: r?.light?.max_ms ?? null,
    light_server_cores: r?.light?.server_cores ?? null,
    light_server_rss_mb: r?.light
      ? Object.entries(r.light.rss_mb ?? {}).reduce((s, [g, v]) => (g === 'bench' ? s : s + v), 0)
      : null,
    ramp_max_ops_s: r?.ramp_max_ops_s ?? null,
    overload_acked_ops_s: r?.overload?.[config.overloadRates.at(-1)]?.acked_ops_s ?? null,
    ...Object.fromEntries(
      config.overloadRates.map((rate) => [
        `overload_${rate}_acked_ops_s`,
        r?.overload?.[rate]?.acked_ops_s ?? null,
      ]),
    ),
    hot_max_ops_s: r?.hot_max_ops_s ?? null,
  });
  const a = pick(stack);
  const b = pick(sharedb);
  return {
    stack: a,
    sharedb: b,
    ratios: Object.fromEntries(Object.keys(a).map((k) => [k, ratio(a[k], b[k])])),
  };
}

let stopCurrent = null;
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.once(signal, () => {
    console.error(`${signal}: stopping what this run started`);
    void (stopCurrent?.() ?? Promise.resolve()).finally(() => process.exit(130));
  });
}

async function main() {
  emit({ step: 'config', ...config, systems: [...systems], phases: [...phases] });
  const results = {};
  // This run's PostgreSQL and Redis alone, not other servers of the same name on the machine.
  const servers = await serverRoots(
    process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres',
    process.env.REDIS_URL ?? 'redis://127.0.0.1:6379',
  );
  for (const name of ['stack', 'sharedb'].filter((s) => systems.has(s))) {
    const system = await STARTERS[name]();
    stopCurrent = system.stop;
    try {
      results[name] = await measure(system, servers);
    } finally {
      stopCurrent = null;
      await system.stop();
    }
  }
  const { stack, sharedb, ratios } = summary(results);
  emit({ step: 'ratios', note: 'this stack / ShareDB', ...ratios });
  console.log(
    JSON.stringify({
      headline: 'peers',
      light_p99_ms: { stack: stack.light_p99_ms, sharedb: sharedb.light_p99_ms },
      light_p999_ms: { stack: stack.light_p999_ms, sharedb: sharedb.light_p999_ms },
      light_server_cores: { stack: stack.light_server_cores, sharedb: sharedb.light_server_cores },
      ramp_max_ops_s: { stack: stack.ramp_max_ops_s, sharedb: sharedb.ramp_max_ops_s },
      overload_offered_ops_s: config.overloadRates.at(-1) ?? null,
      overload_acked_ops_s: { stack: stack.overload_acked_ops_s, sharedb: sharedb.overload_acked_ops_s },
      hot_max_ops_s: { stack: stack.hot_max_ops_s, sharedb: sharedb.hot_max_ops_s },
      ratios,
    }),
  );
}

main().catch((error) => {
  console.error(error instanceof Error ? (error.stack ?? error.message) : error);
  process.exitCode = 1;
});
