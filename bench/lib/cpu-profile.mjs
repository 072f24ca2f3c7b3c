// Summary of a V8 CPU profile (node --cpu-prof) within a time window: the
// share of busy time per top self-time function, garbage collection's share,
// and the longest stretches the thread was busy without a break (an event
// loop that does not get back to idle holds every acknowledgement queued
// behind it: that is where a latency tail comes from), with what ran in them.
//
//   node bench/lib/cpu-profile.mjs FILE.cpuprofile [FROM_US TO_US] [TOP]
//
// FROM_US / TO_US are CLOCK_MONOTONIC microseconds (V8's profile clock, and
// process.hrtime's on Linux), as bench/peers prints for its light phase.
import { readFileSync } from 'node:fs';

/** Nodes of the profile by id, with a printable name per function. */
function indexNodes(profile) {
  const nodes = new Map();
  for (const node of profile.nodes) {
    const { functionName, url, lineNumber } = node.callFrame;
    const file = url ? url.replace(/^file:\/\//, '').replace(/^.*\/node_modules\//, '') : '';
    const name = `${functionName || '(anonymous)'}${file ? ` ${file.split('/').slice(-2).join('/')}:${lineNumber + 1}` : ''}`;
    nodes.set(node.id, { name, raw: functionName });
  }
  return nodes;
}

/** Sample list [timeUs, name, raw] within [from, to]; each sample lasts until the next. */
function samplesOf(profile, nodes, from, to) {
  const out = [];
  let time = profile.startTime;
  for (let i = 0; i < profile.samples.length; i++) {
    time += profile.timeDeltas[i];
    if (time < from || time > to) continue;
    const node = nodes.get(profile.samples[i]);
    out.push({ time, name: node.name, raw: node.raw });
  }
  return out;
}

const round = (x) => Math.round(x * 10) / 10;

export function summarizeProfile(profile, { from = -Infinity, to = Infinity, top = 15 } = {}) {
  const nodes = indexNodes(profile);
  const samples = samplesOf(profile, nodes, from, to);
  const durations = samples.map((s, i) => (i + 1 < samples.length ? samples[i + 1].time - s.time : 0));
  const selfUs = new Map();
  let idleUs = 0;
  let gcUs = 0;
  let busyUs = 0;
  const runs = [];
  let run = null;
  samples.forEach((s, i) => {
    const us = durations[i];
    if (s.raw === '(idle)') {
      idleUs += us;
      if (run) runs.push(run);
      run = null;
      return;
    }
    busyUs += us;
    if (s.raw === '(garbage collector)') gcUs += us;
    selfUs.set(s.name, (selfUs.get(s.name) ?? 0) + us);
    run ??= { start: s.time, us: 0, names: new Map() };
    run.us += us;
    run.names.set(s.name, (run.names.get(s.name) ?? 0) + us);
  });
  if (run) runs.push(run);
  const spanS = samples.length > 1 ? (samples.at(-1).time - samples[0].time) / 1e6 : 0;
  const topOf = (map, n) =>
    [...map]
      .sort((a, b) => b[1] - a[1])
      .slice(0, n)
      .map(([name, us]) => ({ name, ms: round(us / 1000), busy_pct: round((us / busyUs) * 100) }));
  return {
    span_s: round(spanS),
    busy_s: round(busyUs / 1e6),
    cores: spanS > 0 ? Math.round((busyUs / 1e6 / spanS) * 1000) / 1000 : null,
    idle_s: round(idleUs / 1e6),
    gc_pct_of_busy: busyUs > 0 ? round((gcUs / busyUs) * 100) : null,
    top_self: topOf(selfUs, top),
    longest_busy_ms: runs
      .sort((a, b) => b.us - a.us)
      .slice(0, 5)
      .map((r) => ({
        ms: round(r.us / 1000),
        at_s: round((r.start - samples[0].time) / 1e6),
        top: topOf(r.names, 4),
      })),
  };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const [file, from, to, top] = process.argv.slice(2);
  if (!file) throw new Error('usage: node bench/lib/cpu-profile.mjs FILE.cpuprofile [FROM_US TO_US] [TOP]');
  const profile = JSON.parse(readFileSync(file, 'utf8'));
  const summary = summarizeProfile(profile, {
    from: from ? Number(from) : -Infinity,
    to: to ? Number(to) : Infinity,
    top: top ? Number(top) : 15,
  });
  console.log(JSON.stringify(summary, null, 1));
}
