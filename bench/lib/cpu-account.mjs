// CPU seconds spent by each part of a benchmarked stack over a window, read
// from /proc (Linux; elsewhere the figures are null). The machine is shared,
// so PostgreSQL and Redis count every process of theirs, not only ours: run
// benchmarks on a quiet machine when these figures matter.
import { readdirSync, readFileSync } from 'node:fs';

const TICKS_PER_SECOND = 100; // USER_HZ, 100 on every Linux architecture Node supports

function cpuTicksOf(pid) {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the parenthesised command name (which may hold spaces): utime is 14th, stime 15th.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return Number(fields[11]) + Number(fields[12]);
  } catch {
    return 0; // exited meanwhile
  }
}

function commandOf(pid) {
  try {
    return readFileSync(`/proc/${pid}/comm`, 'utf8').trim();
  } catch {
    return '';
  }
}

/** Ticks of every process whose command name starts with `prefix` (postgres forks a backend per connection). */
function ticksOfCommand(prefix) {
  let ticks = 0;
  for (const pid of readdirSync('/proc')) {
    if (/^\d+$/.test(pid) && commandOf(pid).startsWith(prefix)) ticks += cpuTicksOf(pid);
  }
  return ticks;
}

/**
 * `parts`: label -> pid. Returns a function that, called at the window's end,
 * gives CPU seconds per label plus this process (`bench`), PostgreSQL and Redis.
 */
export function startCpuAccount(parts) {
  const supported = (() => {
    try {
      readFileSync('/proc/self/stat');
      return true;
    } catch {
      return false;
    }
  })();
  const sample = () => {
    if (!supported) return null;
    const ticks = { postgres: ticksOfCommand('postgres'), redis: ticksOfCommand('redis-server') };
    for (const [label, pid] of Object.entries(parts)) ticks[label] = cpuTicksOf(pid);
    return ticks;
  };
  const before = sample();
  const benchBefore = process.cpuUsage();
  return () => {
    const after = sample();
    if (!before || !after) return null;
    const used = process.cpuUsage(benchBefore);
    const seconds = { bench: (used.user + used.system) / 1e6 };
    for (const label of Object.keys(after))
      seconds[label] = (after[label] - before[label]) / TICKS_PER_SECOND;
    return Object.fromEntries(Object.entries(seconds).map(([k, v]) => [k, Math.round(v * 10) / 10]));
  };
}
