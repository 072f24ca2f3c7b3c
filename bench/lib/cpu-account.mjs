// CPU seconds spent by each part of a benchmarked stack over a window, and
// the memory each holds, read from /proc (Linux; elsewhere the figures are
// null). The machine is shared,
// so PostgreSQL and Redis count every process of theirs, not only ours: run
// benchmarks on a quiet machine when these figures matter.
import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const pg = require('pg');
const { Redis } = require('ioredis');

const TICKS_PER_SECOND = 100; // USER_HZ, 100 on every Linux architecture Node supports

/** utime + stime of a process, and with `children` also those of its children it has reaped. */
function cpuTicksOf(pid, { children = false } = {}) {
  const fields = statFields(pid);
  if (!fields) return 0; // exited meanwhile
  // After the command name: utime, stime, cutime, cstime are fields 14-17 of stat.
  const own = Number(fields[11]) + Number(fields[12]);
  return children ? own + Number(fields[13]) + Number(fields[14]) : own;
}

/** The fields of /proc/<pid>/stat after the parenthesised command name (which may hold spaces). */
function statFields(pid) {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  } catch {
    return null;
  }
}

function commandOf(pid) {
  try {
    return readFileSync(`/proc/${pid}/comm`, 'utf8').trim();
  } catch {
    return '';
  }
}

/**
 * Ticks of every process whose command name starts with `prefix`, plus what
 * the eldest (whose parent is not one of them) has reaped: PostgreSQL forks
 * a backend per connection, and a pool closes idle ones, whose time would
 * otherwise leave the sum when they exit.
 */
function ticksOfCommand(prefix, root) {
  let ticks = 0;
  for (const pid of pidsOfServer(prefix, root)) {
    const parent = statFields(pid)?.[1];
    ticks += cpuTicksOf(pid, { children: !commandOf(parent).startsWith(prefix) });
  }
  return ticks;
}

function pidsOfCommand(prefix) {
  return readdirSync('/proc').filter((pid) => /^\d+$/.test(pid) && commandOf(pid).startsWith(prefix));
}

/**
 * The processes of one server: with `root` (its main pid) that process and
 * its children, else every process named `prefix`. Other servers of the
 * same name come and go on a shared machine (fault tests start private
 * clusters): counting them makes a window's figure wrong, even negative.
 */
function pidsOfServer(prefix, root) {
  const all = pidsOfCommand(prefix);
  if (!root) return all;
  return all.filter((pid) => Number(pid) === root || Number(statFields(pid)?.[1]) === root);
}

/** A field of /proc/<pid>/<file> in kB ("Name:   123 kB"), 0 when unreadable. */
function kilobytesOf(pid, file, field) {
  try {
    const match = readFileSync(`/proc/${pid}/${file}`, 'utf8').match(
      new RegExp(`^${field}:\\s+(\\d+) kB`, 'm'),
    );
    return match ? Number(match[1]) : 0;
  } catch {
    return 0;
  }
}

/**
 * `parts`: label -> pid. Megabytes of memory per label (its resident set),
 * plus this process (`bench`), and PostgreSQL and Redis as the proportional
 * set size summed over all their processes: a backend's resident set counts
 * the shared buffers it touched, which would be counted once per backend.
 */
export function memoryOf(parts, servers = {}) {
  const mb = (kb) => Math.round(kb / 102.4) / 10;
  const pss = (prefix) =>
    pidsOfServer(prefix, servers[prefix === 'postgres' ? 'postgres' : 'redis']).reduce(
      (sum, pid) => sum + kilobytesOf(pid, 'smaps_rollup', 'Pss'),
      0,
    );
  const result = { bench: mb(kilobytesOf(process.pid, 'status', 'VmRSS')) };
  for (const [label, pid] of Object.entries(parts)) result[label] = mb(kilobytesOf(pid, 'status', 'VmRSS'));
  result.postgres = mb(pss('postgres'));
  result.redis = mb(pss('redis-server'));
  return result;
}

/**
 * `parts`: label -> pid. Returns a function that, called at the window's end,
 * gives CPU seconds per label plus this process (`bench`), PostgreSQL and Redis
 * (`servers`: { postgres, redis } main pids, see serverRoots; else all by name).
 */
export function startCpuAccount(parts, servers = {}) {
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
    const ticks = {
      postgres: ticksOfCommand('postgres', servers.postgres),
      redis: ticksOfCommand('redis-server', servers.redis),
    };
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

/**
 * The main pids of the PostgreSQL server at `databaseUrl` (the postmaster: the
 * parent of this connection's backend) and of the Redis server at `redisUrl`,
 * for counting those servers alone. A field is null where it cannot be read
 * (a server on another machine).
 */
export async function serverRoots(databaseUrl, redisUrl) {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  const backend = (await client.query('SELECT pg_backend_pid() AS pid')).rows[0].pid;
  // Read while the backend lives: it exits with the connection.
  const postmaster = Number(statFields(backend)?.[1]);
  await client.end();
  const redis = new Redis(redisUrl);
  const info = await redis.info('server');
  redis.disconnect();
  const redisPid = Number(info.match(/^process_id:(\d+)/m)?.[1]);
  return { postgres: postmaster || null, redis: statFields(redisPid) ? redisPid : null };
}
