// The load generator of bench/peers, the same code for every system: Poisson
// arrivals per editor (bench/lib/paced.mjs), one keystroke at a time per
// editor (the system's `submit`, awaited to its acknowledgement), and per
// phase the acknowledgement latencies, the acknowledgements inside the
// phase's window, and CPU and memory per process group.
import { startCpuAccount, memoryOf } from '../lib/cpu-account.mjs';
import { typeEach } from '../lib/paced.mjs';
import { startLatencyScrape } from '../lib/scraped-latency.mjs';
import { percentiles } from '../e2e/editors.mjs';

/** Past this an acknowledgement is counted as unanswered and the editor types on (the phase must end). */
const ACK_TIMEOUT_MS = 60_000;

const round = (x, digits = 2) => Math.round(x * 10 ** digits) / 10 ** digits;

/** Sums per-process figures into the system's process groups (plus the load generator, `bench`). */
function byGroup(values, groups, digits = 1) {
  if (!values) return null;
  const result = {};
  for (const [group, labels] of Object.entries({ ...groups, bench: ['bench'] })) {
    result[group] = round(
      labels.reduce((sum, label) => sum + (values[label] ?? 0), 0),
      digits,
    );
  }
  return result;
}

/** The servers' total (every group but the load generator). */
const serverTotal = (grouped) =>
  grouped ? round(Object.entries(grouped).reduce((sum, [g, v]) => (g === 'bench' ? sum : sum + v), 0)) : null;

function withTimeout(promise, ms) {
  let timer;
  const timeout = new Promise((_, reject) => {
    timer = setTimeout(
      () => reject(Object.assign(new Error('no acknowledgement'), { unanswered: true })),
      ms,
    );
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/**
 * Types into `editors` at `rate` keystrokes a second in all for `seconds`.
 * Returns the phase's figure: latencies (submit to acknowledgement, ms),
 * acknowledgements a second inside the window, refusals and unanswered
 * submits, CPU seconds and cores, and memory (MB) per process group.
 */
export async function runPhase(system, editors, { seconds, rate, servers }) {
  const latencies = [];
  // When (s into the phase) each operation was submitted, to place the tail in time (BENCH_TAIL=1).
  const submittedAt = [];
  let inWindow = 0;
  let refused = 0;
  let unanswered = 0;
  const refusals = new Map();
  const pids = system.pids();
  const scrape = Object.keys(system.metrics).length > 0 ? await startLatencyScrape(system.metrics) : null;
  const cpu = startCpuAccount(pids, servers);
  const monotonicUs = () => Number(process.hrtime.bigint() / 1000n);
  const window = [monotonicUs()];
  const started = performance.now();
  const windowEnd = started + seconds * 1000;
  await typeEach(
    editors,
    { seconds, ratePerEditor: rate / editors.length, arrivals: 'poisson' },
    async (e, i) => {
      const submitted = performance.now();
      try {
        await withTimeout(system.submit(e, i), ACK_TIMEOUT_MS);
        const acked = performance.now();
        latencies.push(acked - submitted);
        submittedAt.push((submitted - started) / 1000);
        if (acked <= windowEnd) inWindow += 1;
      } catch (error) {
        if (error.unanswered) unanswered += 1;
        else {
          refused += 1;
          const message = String(error.message ?? error).slice(0, 120);
          refusals.set(message, (refusals.get(message) ?? 0) + 1);
        }
      }
    },
  );
  const elapsed = (performance.now() - started) / 1000;
  window.push(monotonicUs());
  const cpuSeconds = byGroup(cpu(), system.groups);
  const cores =
    cpuSeconds && Object.fromEntries(Object.entries(cpuSeconds).map(([g, s]) => [g, round(s / elapsed)]));
  return {
    offered_ops_s: round(rate, 1),
    seconds: round(elapsed, 1),
    acked: latencies.length,
    acked_ops_s: round(inWindow / seconds, 1),
    ...percentiles(latencies),
    refused,
    unanswered,
    ...(refusals.size > 0 ? { refusals: Object.fromEntries(refusals) } : {}),
    cpu_s: cpuSeconds,
    cores,
    server_cores: serverTotal(cores),
    rss_mb: byGroup(memoryOf(pids, servers), system.groups),
    ...(scrape ? { server_ack_ms: await scrape() } : {}),
    ...(process.env.BENCH_TAIL === '1' ? { tail: tailInTime(latencies, submittedAt) } : {}),
    // CLOCK_MONOTONIC microseconds (V8's profile clock), to cut --cpu-prof profiles to the phase.
    window_us: window,
  };
}

/**
 * The slowest 1 % of operations by when they were submitted, as
 * [second into the phase, latency ms] pairs in time order: clustered in a few
 * seconds, the tail is a stall of the servers (a pause, a burst of periodic
 * work); spread over the phase, it is the variance of each operation's path.
 */
function tailInTime(latencies, submittedAt) {
  const order = latencies.map((_, i) => i).sort((a, b) => latencies[b] - latencies[a]);
  const slowest = order.slice(0, Math.max(1, Math.floor(latencies.length / 100)));
  return slowest
    .sort((a, b) => submittedAt[a] - submittedAt[b])
    .map((i) => [Math.round(submittedAt[i] * 10) / 10, Math.round(latencies[i] * 10) / 10]);
}

/**
 * From `start` ops/s, multiplied by `factor` every `stepSeconds`, until a
 * step's p99 exceeds `limitMs` (or nothing is acknowledged) or the rate
 * passes `maxRate`. `onStep(figure)` sees each step. Returns the highest
 * rate whose step kept p99 <= limitMs (null: not even the first).
 */
export async function ramp(
  system,
  editors,
  { start, factor, stepSeconds, maxRate, limitMs, servers, onStep },
) {
  let best = null;
  for (let rate = start; rate <= maxRate; rate *= factor) {
    const step = await runPhase(system, editors, { seconds: stepSeconds, rate, servers });
    onStep(step);
    if (step.p99_ms === null || step.p99_ms > limitMs) break;
    best = round(rate, 1);
  }
  return best;
}
