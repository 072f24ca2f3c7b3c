// What connected editors cost when nobody types: N joined, idle editors
// (the client SDK, as bench/e2e opens them) against the local stack as
// `npm start` runs it (one gateway, two doc-services, the snapshot worker) on
// a private database and Redis prefix. After the joins and a settle period it
// measures, for BENCH_SECONDS, the CPU of every service process and their
// RSS, and derives the cores the services use together and the gateway's
// memory per socket (RSS and V8 heap with the sockets, minus before they
// connected, over N). Prints one JSON line per figure, the headline last;
// never fails on the figures.
//
//   npm run bench:idle          (builds the apps first)
//   node bench/idle/run.mjs     (uses the built apps)
//
// Environment: BENCH_DOCS (1000), BENCH_EDITORS (editors per document, 4),
// BENCH_SECONDS (measured window, 60), BENCH_SETTLE_SECONDS (after the joins,
// 10), BENCH_PORT (3960), BENCH_NODE_ARGS (extra node flags for the services,
// e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof"), BENCH_HEAP_SNAPSHOT=DIR (write
// a heap snapshot of the gateway with every socket open into DIR; the
// snapshot pauses the gateway, so it is taken after the measured window),
// DATABASE_URL / REDIS_URL (servers; default local).
import { readFileSync } from 'node:fs';
import { openEditors } from '../e2e/editors.mjs';
import { seed } from '../e2e/seed.mjs';
import { startCpuAccount } from '../lib/cpu-account.mjs';
import { startBenchStack } from '../lib/bench-stack.mjs';

const documents = Number(process.env.BENCH_DOCS ?? 1000);
const editorsPerDoc = Number(process.env.BENCH_EDITORS ?? 4);
const seconds = Number(process.env.BENCH_SECONDS ?? 60);
const settleSeconds = Number(process.env.BENCH_SETTLE_SECONDS ?? 10);
const port = Number(process.env.BENCH_PORT ?? 3960);
const heapSnapshotDir = process.env.BENCH_HEAP_SNAPSHOT;

const emit = (figure) => console.log(JSON.stringify(figure));
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const round = (x, digits = 1) => Math.round(x * 10 ** digits) / 10 ** digits;

const nodeArgs = (process.env.BENCH_NODE_ARGS ?? '').split(' ').filter(Boolean);
if (heapSnapshotDir) nodeArgs.push('--heapsnapshot-signal=SIGUSR2', `--diagnostic-dir=${heapSnapshotDir}`);

/** Resident memory of a process in bytes (Linux /proc; null elsewhere or once it exited). */
function rssOf(pid) {
  try {
    const kb = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return kb ? Number(kb[1]) * 1024 : null;
  } catch {
    return null;
  }
}

/** The gateway's V8 heap in use (prom-client's default metric), or null when /metrics does not say. */
async function gatewayHeapUsed() {
  try {
    const text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
    const line = /^(?:collab_)?nodejs_heap_size_used_bytes(?:\{[^}]*\})? ([0-9.e+]+)$/m.exec(text);
    return line ? Number(line[1]) : null;
  } catch {
    return null;
  }
}

const mb = (bytes) => (bytes === null ? null : round(bytes / 2 ** 20));

function rssByService(stack) {
  return Object.fromEntries(stack.children.map(({ label, child }) => [label, rssOf(child.pid)]));
}

async function main() {
  // The deployment's defaults (rate limits, re-checks, pings) are what is measured: only the names are private.
  const { env, stack, stop } = await startBenchStack({ port, docServices: 2, nodeArgs });
  const editors = [];
  try {
    const docs = await seed(env.DATABASE_URL, env.JWT_SECRET, {
      documents,
      editorsPerDoc,
      users: Math.max(editorsPerDoc, Math.ceil((documents * editorsPerDoc) / 10)),
    });
    const sockets = documents * editorsPerDoc;
    const gatewayPid = stack.children.find((c) => c.label === 'gateway').child.pid;
    // Before any socket: the process as started, warmed up by its own start-up.
    await sleep(3_000);
    const rssBefore = rssByService(stack);
    const heapBefore = await gatewayHeapUsed();
    emit({
      phase: 'before-sockets',
      rss_mb: Object.fromEntries(Object.entries(rssBefore).map(([k, v]) => [k, mb(v)])),
      gateway_heap_used_mb: mb(heapBefore),
    });

    const opened = performance.now();
    editors.push(...(await openEditors(`http://127.0.0.1:${port}`, docs)));
    emit({ phase: 'joined', editors: editors.length, open_s: round((performance.now() - opened) / 1000) });
    await sleep(settleSeconds * 1000);

    const cpu = startCpuAccount(
      Object.fromEntries(stack.children.map(({ label, child }) => [label, child.pid])),
    );
    const started = performance.now();
    const gatewayRss = [];
    while (performance.now() - started < seconds * 1000) {
      await sleep(Math.min(5_000, seconds * 1000 - (performance.now() - started)));
      gatewayRss.push(rssOf(gatewayPid));
    }
    const cpuSeconds = cpu();
    const elapsed = (performance.now() - started) / 1000;
    const rssAfter = rssByService(stack);
    const heapAfter = await gatewayHeapUsed();
    const connected = editors.filter((doc) => doc.status === 'connected').length;

    const labels = stack.children.map((c) => c.label);
    const services = cpuSeconds ? labels.reduce((sum, label) => sum + cpuSeconds[label], 0) : null;
    const cores = cpuSeconds
      ? Object.fromEntries(Object.entries(cpuSeconds).map(([k, v]) => [k, round(v / elapsed, 3)]))
      : null;
    emit({
      phase: 'idle',
      seconds: round(elapsed),
      sockets,
      connected_at_end: connected,
      // CPU seconds over the window; postgres and redis are every process of theirs on the machine.
      cpu_s: cpuSeconds,
      cores,
      rss_mb: Object.fromEntries(Object.entries(rssAfter).map(([k, v]) => [k, mb(v)])),
      gateway_rss_mb_samples: gatewayRss.map(mb),
      gateway_heap_used_mb: mb(heapAfter),
    });

    if (heapSnapshotDir) {
      process.kill(gatewayPid, 'SIGUSR2');
      // Writing a snapshot of a few hundred MB takes a while; the gateway answers again when it is done.
      await sleep(2_000);
      await gatewayHeapUsed();
      emit({ phase: 'heap-snapshot', dir: heapSnapshotDir });
    }

    const perSocketKb = (after, before) =>
      after === null || before === null ? null : round((after - before) / sockets / 1024);
    emit({
      headline: 'idle',
      sockets,
      seconds: round(elapsed),
      services_cores: services === null ? null : round(services / elapsed, 3),
      services_cores_target: 0.03,
      gateway_cores: cores?.gateway ?? null,
      gateway_rss_kb_per_socket: perSocketKb(rssAfter.gateway, rssBefore.gateway),
      gateway_heap_kb_per_socket: perSocketKb(heapAfter, heapBefore),
      gateway_memory_per_socket_target_kb: 40,
    });
  } finally {
    for (const doc of editors) doc.close();
    await stop();
  }
}

main().catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
});
