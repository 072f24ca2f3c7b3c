// Ownership under failure and scaling: how long a document is unavailable
// after its owner doc-service is killed with SIGKILL, and what happens when a
// doc-service joins while 1,000 documents are open. Prints one JSON line per
// figure, the headline last. A benchmark, not a test: it fails only on a
// wrong result (an acknowledged edit lost or applied twice, a document that
// moved between old instances, a service that crashed), never on timing.
//
//   npm run bench:failover         (builds the apps first)
//   node bench/failover/run.mjs    (uses the built apps)
//
// Environment: BENCH_TRIALS (kills, default 20), BENCH_DOCS (open documents
// when an instance joins, 1000), BENCH_DOC_SERVICES (ring size, 3),
// BENCH_RETRY_MS (a client's wait before resending a refused operation, 200,
// the SDK's default), BENCH_PORT (3970; the doc-services' health ports follow
// it), DATABASE_URL / REDIS_URL (servers; a private database and key prefix
// are created and dropped), MEMBERSHIP_TTL_MS / HEARTBEAT_INTERVAL_MS /
// MEMBERSHIP_POLL_MS (the services' own defaults unless set).
//
// Phases:
//   kill    BENCH_TRIALS times: a client joined on a fresh document writes 3
//           operations (the owner has the actor loaded), the owner is killed
//           with SIGKILL, and the client submits its next operation,
//           resending it after each refusal as the SDK does. Measured from
//           the SIGKILL to that operation's acknowledgement, which only the
//           new owner can give (the old one is gone, and the version must
//           follow the last acknowledged one). A replacement doc-service then
//           joins, so every trial starts with the same ring size.
//   join    BENCH_DOCS documents open (joined by 10 clients, one operation
//           each: actors loaded on their owners); one more doc-service
//           starts. Measured from its spawn: when the gateway routes over it,
//           and when every moved document has acknowledged an operation
//           submitted once the gateway routes to the new owner (which loads
//           it from PostgreSQL). Reported with the fraction of documents
//           that moved (rendezvous hashing: about 1/(N+1), all to the new one).
import { checkPostgres, checkRedis } from '../../scripts/stack/preflight.mjs';
import { migrate, stackEnv } from '../../scripts/stack/local-stack.mjs';
import { dropPrivateInfra } from '../lib/private-infra.mjs';
import { seed } from '../e2e/seed.mjs';
import { Cluster, sleep } from './cluster.mjs';
import { verifyAcked } from './verify.mjs';
import { inParallel, Writer } from './writer.mjs';

const trials = Number(process.env.BENCH_TRIALS ?? 20);
const documents = Number(process.env.BENCH_DOCS ?? 1000);
const ringSize = Number(process.env.BENCH_DOC_SERVICES ?? 3);
const retryMs = Number(process.env.BENCH_RETRY_MS ?? 200);
const port = Number(process.env.BENCH_PORT ?? 3970);
const JOIN_CLIENTS = 10;

const emit = (figure) => console.log(JSON.stringify({ bench: 'failover', ...figure }));
const progress = (line) => process.stderr.write(`[failover] ${line}\n`);
const round = (ms) => Math.round(ms * 10) / 10;
const stamp = `${Date.now().toString(36)}${process.pid}`;
const base = stackEnv(process.env);
const dbUrl = new URL(base.DATABASE_URL);
dbUrl.pathname = `/collab_bench_failover_${stamp}`;
const env = {
  ...base,
  DATABASE_URL: dbUrl.toString(),
  REDIS_PREFIX: `benchfo${stamp}:`,
  PORT: String(port),
  // The snapshot worker's health port (doc-services get theirs from local-stack):
  // any free one, so the run can share the machine with a running stack.
  HTTP_PORT: '0',
  // The services' defaults, stated so the figures say what they were measured with.
  MEMBERSHIP_TTL_MS: process.env.MEMBERSHIP_TTL_MS ?? '5000',
  HEARTBEAT_INTERVAL_MS: process.env.HEARTBEAT_INTERVAL_MS ?? '1000',
  MEMBERSHIP_POLL_MS: process.env.MEMBERSHIP_POLL_MS ?? '1000',
  // Setting up 1,000 open documents from 10 sockets is a load generator, not
  // abuse: the limits sized for people typing would refuse it.
  OPS_PER_SECOND_PER_SOCKET: '10000',
  OPS_PER_SECOND_PER_USER: '10000',
  OPS_IN_FLIGHT_PER_SOCKET: '1000',
  EVENTS_PER_SECOND_PER_SOCKET: '100000',
  MAX_SOCKETS_PER_USER: '1000',
};

function stats(runs) {
  const sorted = [...runs].sort((a, b) => a - b);
  const at = (q) => round(sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]);
  return { p50_ms: at(0.5), p99_ms: at(0.99), min_ms: round(sorted[0]), max_ms: round(sorted.at(-1)) };
}

async function killPhase(cluster, acked) {
  const docs = await seed(env.DATABASE_URL, env.JWT_SECRET, {
    documents: trials,
    editorsPerDoc: 1,
    users: trials,
  });
  const runs = [];
  let refusals = 0;
  let reconnects = 0;
  for (let t = 0; t < trials; t++) {
    const { docId, editors } = docs[t];
    const writer = new Writer(cluster.url, editors[0].token, `kill${t + 1}`, retryMs, progress);
    try {
      await writer.connect();
      await writer.join(docId);
      for (let i = 0; i < 3; i++) await writer.write(docId);
      const victim = cluster.alive.find((p) => p.instanceId === cluster.ownerOf(docId));
      const killedAt = performance.now();
      await cluster.kill(victim);
      const { version, at, refused } = await writer.write(docId);
      if (version !== 4) throw new Error(`trial ${t + 1}: acknowledged as version ${version}, expected 4`);
      runs.push(at - killedAt);
      refusals += refused;
      progress(`trial ${t + 1}: killed ${victim.instanceId}, acknowledged after ${round(at - killedAt)} ms`);
    } finally {
      acked.push(...writer.acked);
      reconnects += writer.reconnects;
      writer.close();
    }
    const started = performance.now();
    await cluster.startDocService(`doc-service-r${t + 1}`);
    progress(
      `trial ${t + 1}: doc-service-r${t + 1} joined the ring in ${round(performance.now() - started)} ms`,
    );
  }
  const figure = {
    phase: 'kill',
    trials,
    doc_services: ringSize,
    ...stats(runs),
    mean_ms: round(runs.reduce((a, b) => a + b, 0) / runs.length),
    resends: refusals,
    reconnects,
    runs_ms: runs.map(round),
  };
  emit(figure);
  return figure;
}

async function joinPhase(cluster, acked) {
  const docs = await seed(env.DATABASE_URL, env.JWT_SECRET, {
    documents,
    editorsPerDoc: 1,
    users: JOIN_CLIENTS,
  });
  // One client per user, joined on all of that user's documents.
  const writers = new Map();
  const writerOf = new Map();
  for (const { docId, editors } of docs) {
    const { userId, token } = editors[0];
    if (!writers.has(userId))
      writers.set(userId, new Writer(cluster.url, token, `join${writers.size + 1}`, retryMs, progress));
    writerOf.set(docId, writers.get(userId));
  }
  try {
    await Promise.all([...writers.values()].map((w) => w.connect()));
    const docIds = docs.map((d) => d.docId);
    await inParallel(docIds, 50, async (docId) => {
      await writerOf.get(docId).join(docId);
      await writerOf.get(docId).write(docId);
    });
    const before = new Map(docIds.map((d) => [d, cluster.ownerOf(d)]));
    progress(`${documents} documents open; starting one more doc-service`);

    const startedAt = performance.now();
    const joining = cluster.spawnDocService('doc-service-joined');
    while ((await cluster.gatewayMembers()) !== ringSize + 1) {
      if (joining.child.exitCode !== null) throw new Error('the joining doc-service exited');
      await sleep(10);
    }
    const routedAt = performance.now();
    const moved = docIds.filter((d) => cluster.ownerOf(d) !== before.get(d));
    const strays = moved.filter((d) => cluster.ownerOf(d) !== joining.instanceId);
    if (strays.length > 0) throw new Error(`${strays.length} documents moved between old instances`);
    // Every moved document at once: the new owner loads them all from PostgreSQL.
    const accepted = await Promise.all(
      moved.map(async (docId) => {
        const { version, at } = await writerOf.get(docId).write(docId);
        if (version !== 2) throw new Error(`moved document ${docId}: acknowledged as ${version}, expected 2`);
        return at - startedAt;
      }),
    );
    const movedSet = new Set(moved);
    const stayed = docIds.filter((d) => !movedSet.has(d));
    const unmoved = await inParallel(stayed, 50, async (docId) => {
      const sent = performance.now();
      const { version, at } = await writerOf.get(docId).write(docId);
      if (version !== 2) throw new Error(`document ${docId}: acknowledged as ${version}, expected 2`);
      return at - sent;
    });
    const figure = {
      phase: 'join',
      documents,
      doc_services_before: ringSize,
      moved: moved.length,
      moved_fraction: Math.round((moved.length / documents) * 1000) / 1000,
      expected_fraction: Math.round((1 / (ringSize + 1)) * 1000) / 1000,
      routed_after_ms: round(routedAt - startedAt),
      all_moved_accepting_ms: round(Math.max(...accepted)),
      moved_accepting_p50_ms: stats(accepted).p50_ms,
      unmoved_op_p50_ms: stats(unmoved).p50_ms,
      unmoved_op_p99_ms: stats(unmoved).p99_ms,
      reconnects: [...writers.values()].reduce((n, w) => n + w.reconnects, 0),
    };
    emit(figure);
    return figure;
  } finally {
    for (const w of writers.values()) {
      acked.push(...w.acked);
      w.close();
    }
  }
}

async function main() {
  const problems = (await Promise.all([checkPostgres(env.DATABASE_URL), checkRedis(env.REDIS_URL)])).filter(
    Boolean,
  );
  if (problems.length > 0) throw new Error(problems.join('\n'));
  await migrate(env, () => undefined);
  const cluster = new Cluster(env, port, (s) => process.stderr.write(s));
  const acked = [];
  try {
    await cluster.start(ringSize);
    await cluster.settle();
    emit({
      phase: 'config',
      doc_services: ringSize,
      membership_ttl_ms: Number(env.MEMBERSHIP_TTL_MS),
      heartbeat_interval_ms: Number(env.HEARTBEAT_INTERVAL_MS),
      gateway_membership_poll_ms: Number(env.MEMBERSHIP_POLL_MS),
      client_retry_ms: retryMs,
    });
    const kill = await killPhase(cluster, acked);
    const join = await joinPhase(cluster, acked);
    const wrong = await verifyAcked(env.DATABASE_URL, acked);
    const crashed = cluster.unexpectedExits.map((e) => `${e.label} exited (${e.code})`);
    emit({ phase: 'verify', acknowledged: acked.length, problems: wrong.length + crashed.length });
    if (wrong.length + crashed.length > 0) throw new Error([...crashed, ...wrong.slice(0, 20)].join('\n'));
    emit({
      headline: true,
      failover_p50_ms: kill.p50_ms,
      failover_p99_ms: kill.p99_ms,
      membership_ttl_ms: Number(env.MEMBERSHIP_TTL_MS),
      join_all_moved_accepting_ms: join.all_moved_accepting_ms,
      join_moved_fraction: join.moved_fraction,
      join_expected_fraction: join.expected_fraction,
    });
  } finally {
    await cluster.stop();
    await dropPrivateInfra(env);
  }
}

main().catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
});
