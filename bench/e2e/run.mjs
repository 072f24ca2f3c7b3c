// End-to-end benchmark of the editing path: the local stack as `npm start`
// runs it (one gateway, two doc-services, the snapshot worker) on a private
// database and Redis prefix, driven by the client SDK. Prints one JSON line
// per figure, the headline last; never fails on timing, only when the
// editors do not converge.
//
//   npm run bench:e2e          (builds the apps first)
//   node bench/e2e/run.mjs     (uses the built apps)
//
// Environment: BENCH_SECONDS (per phase, default 20), BENCH_DOCS (1000),
// BENCH_EDITORS (4), BENCH_HOT_EDITORS (200), BENCH_RATE (total ops/s of the
// paced phases, 2000), DATABASE_URL / REDIS_URL (servers; default local),
// BENCH_PORT (3950), BENCH_NODE_ARGS (extra node flags for the services),
// BENCH_PHASES (which phases to run: max,paced,hot; default all three).
import { checkPostgres, checkRedis } from '../../scripts/stack/preflight.mjs';
import { migrate, stackEnv, startLocalStack } from '../../scripts/stack/local-stack.mjs';
import { startCpuAccount } from '../lib/cpu-account.mjs';
import { dropPrivateInfra } from '../lib/private-infra.mjs';
import { startLatencyScrape } from '../lib/scraped-latency.mjs';
import { measureTypingPhase } from '../lib/typing-phase.mjs';
import { seed } from './seed.mjs';
import { openEditors } from './editors.mjs';

const seconds = Number(process.env.BENCH_SECONDS ?? 20);
const documents = Number(process.env.BENCH_DOCS ?? 1000);
const editorsPerDoc = Number(process.env.BENCH_EDITORS ?? 4);
const hotEditors = Number(process.env.BENCH_HOT_EDITORS ?? 200);
const rate = Number(process.env.BENCH_RATE ?? 2000);
const port = Number(process.env.BENCH_PORT ?? 3950);
const phases = new Set((process.env.BENCH_PHASES ?? 'max,paced,hot').split(',').map((p) => p.trim()));

const emit = (figure) => console.log(JSON.stringify(figure));
const stamp = `${Date.now().toString(36)}${process.pid}`;
const base = stackEnv(process.env);
const dbUrl = new URL(base.DATABASE_URL);
dbUrl.pathname = `/collab_bench_${stamp}`;
const env = {
  ...base,
  DATABASE_URL: dbUrl.toString(),
  REDIS_PREFIX: `bench${stamp}:`,
  PORT: String(port),
  // The default pool (10) is sized for a shared laptop; the benchmark gives the
  // doc-services room for group commits from many documents at once.
  DB_POOL_SIZE: process.env.DB_POOL_SIZE ?? '20',
  // A load test, not abuse: the per-socket and per-user rate limits (sized for
  // people typing) would otherwise cap the closed-loop editors.
  OPS_PER_SECOND_PER_SOCKET: '10000',
  OPS_PER_SECOND_PER_USER: '10000',
  EVENTS_PER_SECOND_PER_SOCKET: '100000',
  MAX_SOCKETS_PER_USER: '1000',
};

async function phase(name, docs, options, stack) {
  const editors = await openEditors(`http://127.0.0.1:${port}`, docs);
  return measureTypingPhase({
    name,
    databaseUrl: env.DATABASE_URL,
    docs,
    editors,
    seconds,
    ratePerEditor: options.ratePerEditor,
    labels: {
      target_ops_s: options.ratePerEditor ? Math.round(options.ratePerEditor * editors.length) : null,
    },
    probes: {
      // The same acknowledgements as the services saw them (their histograms).
      server_ack_ms: () =>
        startLatencyScrape({
          gateway: `http://127.0.0.1:${port}/metrics`,
          'doc-service-1': `http://127.0.0.1:${port + 101}/metrics`,
          'doc-service-2': `http://127.0.0.1:${port + 102}/metrics`,
        }),
      // Where the machine's time went while typing (seconds of CPU per part).
      cpu_s: () =>
        startCpuAccount(Object.fromEntries(stack.children.map(({ label, child }) => [label, child.pid]))),
    },
    emit,
  });
}

async function main() {
  const problems = (await Promise.all([checkPostgres(env.DATABASE_URL), checkRedis(env.REDIS_URL)])).filter(
    Boolean,
  );
  if (problems.length > 0) throw new Error(problems.join('\n'));
  await migrate(env, () => undefined);
  const stack = await startLocalStack({
    env,
    port,
    logLevel: 'warn',
    write: (s) => process.stderr.write(s),
    // e.g. BENCH_NODE_ARGS="--cpu-prof --cpu-prof-dir=/tmp/prof" to profile the services
    nodeArgs: (process.env.BENCH_NODE_ARGS ?? '').split(' ').filter(Boolean),
  });
  try {
    const many = await seed(env.DATABASE_URL, env.JWT_SECRET, {
      documents,
      editorsPerDoc,
      users: Math.max(editorsPerDoc, Math.ceil((documents * editorsPerDoc) / 10)),
    });
    const throughput = phases.has('max')
      ? await phase('many-docs-max', many, { ratePerEditor: null }, stack)
      : null;
    const paced = phases.has('paced')
      ? await phase('many-docs-paced', many, { ratePerEditor: rate / (documents * editorsPerDoc) }, stack)
      : null;
    let hotPaced = null;
    if (phases.has('hot')) {
      const hot = await seed(env.DATABASE_URL, env.JWT_SECRET, {
        documents: 1,
        editorsPerDoc: hotEditors,
        users: hotEditors,
      });
      hotPaced = await phase('hot-doc-paced', hot, { ratePerEditor: rate / hotEditors }, stack);
    }
    emit({
      headline: 'e2e',
      committed_ops_s_many_docs: throughput?.committed_ops_s ?? null,
      p99_ms_at_target_rate: paced?.p99_ms ?? null,
      target_ops_s: rate,
      hot_doc_committed_ops_s: hotPaced?.committed_ops_s ?? null,
      hot_doc_p99_ms: hotPaced?.p99_ms ?? null,
    });
  } finally {
    await stack.stop();
    await dropPrivateInfra(env);
  }
}

main().catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
});
