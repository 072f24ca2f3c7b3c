// Time to first content for a client joining a document with 100,000
// operations of history, with and without snapshots. Prints one JSON line per
// figure; the last line is the headline. A benchmark, not a test: it fails only
// when a load produces the wrong text, never on timing.
//
//   npm run bench:history          (builds what it uses, then runs this file)
//   node bench/history/run.mjs     (uses the dist folders as built)
//
// Environment: BENCH_REPS (timed cold loads per path, default 15),
// BENCH_OPERATIONS (default 100000), BENCH_PG_URL (a PostgreSQL server,
// default postgres://postgres@127.0.0.1:5432; a private database is created
// and dropped), BENCH_REDIS_URL (default redis://127.0.0.1:6379; a private key
// prefix is used and deleted), OT_TRACES_DIR (default ../shared/traces next to
// the repository).
//
// The document is the first BENCH_OPERATIONS txns of automerge-paper (each one
// single-character insert or delete), one operation per txn, written to the
// log through the production repository (insertOperations). Two copies:
//   with snapshots     the snapshot worker's own builder (SnapshotBuilder) ran
//                      at every multiple of 50, as the doc-services queue it,
//                      except the newest one: the worker is one job behind,
//                      so a load reads a snapshot plus a 50-operation tail
//                      (the worst case while the worker keeps up);
//   without snapshots  the log only.
//
// Paths, each measured cold (no actor in memory) BENCH_REPS times:
//   actor_load   DocumentActorRegistry#load in this process: what the owner
//                does for a `join`'s load request on a document it has not
//                opened (newest snapshot + the operations after it from
//                PostgreSQL, build the actor, answer the content at head).
//   inbox_load   the same through a running doc-service (DocServiceRuntime):
//                a load request published to its Redis inbox, answered on a
//                reply channel; the actor is evicted before each request.
//   history_*    the history API on the same document (with snapshots): a
//                diff of two versions 10,000 operations apart, attribution at
//                head, the listing with sessions; in process (what the server
//                spends) and over REST through the gateway.
//   join         the real path: a Socket.IO client already connected to a
//                gateway emits `join` and waits for the ack (role check,
//                routing to the owner over Redis, actor load, sanitized HTML
//                for the first paint); the actor is evicted before each join.
import { randomBytes, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';

const here = path.dirname(fileURLToPath(import.meta.url));
const repoRoot = path.resolve(here, '../..');
const tracesDir = process.env.OT_TRACES_DIR ?? path.resolve(repoRoot, '../shared/traces');
const reps = Math.max(1, Number(process.env.BENCH_REPS ?? 15));
const operationCount = Math.max(1, Number(process.env.BENCH_OPERATIONS ?? 100_000));
const pgServer = (process.env.BENCH_PG_URL ?? 'postgres://postgres@127.0.0.1:5432').replace(/\/+$/, '');
const redisUrl = process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379';
const SNAPSHOT_EVERY = 50;
const TARGET_MS = 50;
const JWT_SECRET = randomBytes(32).toString('hex');

const require = createRequire(import.meta.url);
const Delta = require('quill-delta');
const { Client } = require('pg');
const { Redis } = require('ioredis');
const { pino } = require('pino');
const { io } = require('socket.io-client');
const contracts = require('../../libs/contracts/dist/index.js');
const persistence = require('../../libs/persistence/dist/index.js');
const { DocumentStore } = require('../../apps/doc-service/dist/documents/document-store.js');
const { DocumentActorRegistry } = require('../../apps/doc-service/dist/documents/document-actor.registry.js');
const { DocServiceRuntime } = require('../../apps/doc-service/dist/doc-service.runtime.js');
const docServiceEnv = require('../../apps/doc-service/dist/config/env.js');
const { SnapshotBuilder } = require('../../apps/snapshot-worker/dist/snapshots/snapshot-builder.js');

const print = (line) => console.log(JSON.stringify(line));
const round = (ms) => Math.round(ms * 100) / 100;
const silent = pino({ level: 'silent' });

function stats(runs) {
  const sorted = [...runs].sort((a, b) => a - b);
  const at = (q) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
  return {
    median_ms: round(at(0.5)),
    p95_ms: round(at(0.95)),
    min_ms: round(sorted[0]),
    runs_ms: runs.map(round),
  };
}

/** The first `count` txns of automerge-paper as stored operations, and the text they produce. */
function loadTrace(count) {
  const file = path.join(tracesDir, 'automerge-paper.json.gz');
  const trace = JSON.parse(gunzipSync(readFileSync(file)).toString('utf8'));
  const txns = trace.txns.slice(0, count);
  let text = '';
  const ops = txns.map((txn) => {
    let delta = null;
    for (const [position, deleteCount, insert] of txn.patches) {
      text = text.slice(0, position) + insert + text.slice(position + deleteCount);
      const patch = new Delta().retain(position).insert(insert).delete(deleteCount).chop();
      delta = delta === null ? patch : delta.compose(patch);
    }
    return delta.ops;
  });
  return { ops, text: `${text}\n`, txns: txns.length };
}

const textOf = (ops) => ops.map((op) => (typeof op.insert === 'string' ? op.insert : '')).join('');

async function admin(sql) {
  const client = new Client({ connectionString: `${pgServer}/postgres` });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

async function seedDocument(dataSource, ownerId, ops) {
  const docId = randomUUID();
  await dataSource.query('INSERT INTO documents (id, title, owner_id) VALUES ($1, $2, $3)', [
    docId,
    'automerge-paper',
    ownerId,
  ]);
  await dataSource.query(
    `INSERT INTO document_members (document_id, user_id, role) VALUES ($1, $2, 'owner')`,
    [docId, ownerId],
  );
  for (let i = 0; i < ops.length; i += 2000) {
    await persistence.insertOperations(
      dataSource.manager,
      ops.slice(i, i + 2000).map((delta, j) => ({
        documentId: docId,
        version: i + j + 1,
        delta,
        userId: ownerId,
        clientId: 'trace',
        seq: i + j + 1,
        submissionHash: `trace-${i + j + 1}`,
      })),
    );
  }
  return docId;
}

/** Timed cold loads: `prepare` drops any warm state, `load` returns the content at head. */
async function measure(label, docId, expectedText, prepare, load) {
  // One untimed load warms the code paths, PostgreSQL's cache and the connection pool.
  await prepare();
  await load();
  const runs = [];
  for (let i = 0; i < reps; i++) {
    await prepare();
    const started = performance.now();
    const result = await load();
    runs.push(performance.now() - started);
    if (textOf(result.content) !== expectedText) throw new Error(`${label}: wrong content at head`);
    if (result.version !== operationCount) throw new Error(`${label}: version ${result.version}`);
  }
  return stats(runs);
}

/** Targets (p50, server-side) of the history API on this document. */
const HISTORY_TARGETS = { diff: 50, attribution: 50, listing: 30 };

async function timed(runs, fn) {
  await fn(); // warm-up
  const times = [];
  for (let i = 0; i < runs; i++) {
    const started = performance.now();
    await fn();
    times.push(performance.now() - started);
  }
  return stats(times);
}

/**
 * The history API on the 100,000-operation document: in process (the
 * persistence calls the gateway makes, what the server spends) and, when the
 * gateway runs, over REST (plus HTTP, JSON and the role check).
 */
async function measureHistory(dataSource, gateway, ownerId, docId) {
  const manager = dataSource.manager;
  const head = operationCount;
  // Neither end on a snapshot: each reads a snapshot and a 40-operation tail.
  const to = head - 10;
  const from = to - 10_000;
  const [{ bytes, rows }] = await dataSource.query(
    `SELECT pg_total_relation_size('snapshot_attributions')::bigint AS bytes, count(*)::int AS rows
       FROM snapshot_attributions WHERE document_id = $1`,
    [docId],
  );
  const headState = await persistence.historyStateAtVersion(manager, docId, head);
  print({
    bench: 'history',
    step: 'attribution_storage',
    rows,
    total_bytes: Number(bytes),
    segments_at_head: headState.attribution.segments.length,
    runs_at_head: persistence.authorRuns(headState.attribution).length,
    document_length: persistence.authorRuns(headState.attribution).at(-1).to,
  });
  let diffOps = 0;
  const inProcess = {
    diff: await timed(reps, async () => {
      const [a, b] = await Promise.all([
        persistence.historyStateAtVersion(manager, docId, from),
        persistence.historyStateAtVersion(manager, docId, to),
      ]);
      diffOps = persistence.diffVersions(a, b).ops.length;
    }),
    attribution: await timed(reps, async () => {
      const state = await persistence.historyStateAtVersion(manager, docId, head);
      persistence.authorRuns(state.attribution);
    }),
    listing: await timed(reps, async () => {
      await Promise.all([
        persistence.listHistory(manager, docId, { limit: 100 }),
        persistence.listHistoryEntries(manager, docId, { limit: 100 }),
      ]);
    }),
  };
  const entries = await persistence.listHistoryEntries(manager, docId, { limit: 100 });
  const figures = { ...inProcess };
  for (const [name, figure] of Object.entries(inProcess)) {
    print({
      bench: 'history',
      path: `history_${name}`,
      via: 'in_process',
      ...(name === 'diff' ? { from, to, diff_ops: diffOps } : {}),
      ...(name === 'listing' ? { entries: entries.length } : {}),
      ...figure,
      target_ms: HISTORY_TARGETS[name],
    });
  }
  if (!gateway) return figures;
  const { signAccessToken } = require('../../apps/gateway/dist/auth/access-token.js');
  const url = `http://127.0.0.1:${gateway.getHttpServer().address().port}/api/documents/${docId}`;
  const headers = { authorization: `Bearer ${signAccessToken(JWT_SECRET, ownerId, 3600)}` };
  const fetchOk = async (path) => {
    const response = await fetch(`${url}${path}`, { headers });
    const body = await response.text();
    if (response.status !== 200) throw new Error(`${path}: ${response.status} ${body.slice(0, 200)}`);
    return body.length;
  };
  const rest = {
    diff: `/diff?from=${from}&to=${to}`,
    attribution: '/attribution',
    listing: '/versions',
  };
  for (const [name, path] of Object.entries(rest)) {
    const bytes = await fetchOk(path);
    const figure = await timed(reps, () => fetchOk(path));
    print({
      bench: 'history',
      path: `history_${name}`,
      via: 'rest',
      response_bytes: bytes,
      ...figure,
      target_ms: HISTORY_TARGETS[name],
    });
  }
  return figures;
}

async function main() {
  const { ops, text, txns } = loadTrace(operationCount);
  if (txns < operationCount) throw new Error(`the trace has only ${txns} txns`);
  const database = `bench_history_${randomBytes(4).toString('hex')}`;
  const databaseUrl = `${pgServer}/${database}`;
  const prefix = `bench-history-${randomBytes(4).toString('hex')}:`;
  await persistence.ensureDatabase(databaseUrl);
  const dataSource = await persistence.createDataSource({ url: databaseUrl, poolSize: 8 }).initialize();
  const redis = new Redis(redisUrl);
  let runtime;
  let gateway;
  let socket;
  try {
    await persistence.runMigrations(dataSource);
    const ownerId = randomUUID();
    await dataSource.query(
      `INSERT INTO users (id, email, name, password_hash, color) VALUES ($1, $2, 'Bench', 'x', '#336699')`,
      [ownerId, `${ownerId}@bench.test`],
    );

    let started = performance.now();
    const withSnapshots = await seedDocument(dataSource, ownerId, ops);
    const withoutSnapshots = await seedDocument(dataSource, ownerId, ops);
    print({
      bench: 'history',
      step: 'write_log',
      operations: operationCount,
      documents: 2,
      ms: round(performance.now() - started),
    });

    // Commit times for the history figures: one operation a second, and a ten-minute pause every
    // 500 operations, so the listing has about 200 editing sessions to show.
    await dataSource.query(
      `UPDATE operations SET created_at = timestamptz '2025-01-01 00:00:00+00'
          + (version || ' seconds')::interval + ((version / 500) * 600 || ' seconds')::interval
        WHERE document_id = $1`,
      [withSnapshots],
    );

    started = performance.now();
    const builder = new SnapshotBuilder(dataSource, 1000);
    let snapshots = 0;
    // The newest multiple is left out on purpose (see the header): a full tail, not a lucky snapshot at head.
    const newest = Math.floor((operationCount - 1) / SNAPSHOT_EVERY) * SNAPSHOT_EVERY;
    for (let version = SNAPSHOT_EVERY; version <= newest; version += SNAPSHOT_EVERY) {
      const outcome = await builder.build(withSnapshots, version);
      if (outcome !== 'created') throw new Error(`snapshot ${version}: ${outcome}`);
      snapshots++;
    }
    print({
      bench: 'history',
      step: 'build_snapshots',
      snapshots,
      every: SNAPSHOT_EVERY,
      ms: round(performance.now() - started),
    });

    // 1. The actor load path, in this process.
    const store = new DocumentStore(dataSource);
    let registry;
    const tails = new Map();
    const newRegistry = () => {
      registry = new DocumentActorRegistry(
        {
          store,
          owns: () => true,
          publish: () => undefined,
          committed: () => undefined,
          loaded: (docId, _ms, tail) => tails.set(docId, tail),
        },
        { historyWindow: 1000, idleMs: 60_000 },
      );
    };
    const actorLoad = {};
    for (const [name, docId] of [
      ['with_snapshots', withSnapshots],
      ['without_snapshots', withoutSnapshots],
    ]) {
      actorLoad[name] = await measure(`actor_load ${name}`, docId, text, newRegistry, () =>
        registry.load(docId),
      );
      print({
        bench: 'history',
        path: 'actor_load',
        document: name,
        operations: operationCount,
        tail_read: tails.get(docId),
        ...actorLoad[name],
      });
    }

    // 2. Through a running doc-service's Redis inbox.
    const keys = contracts.redisKeys(prefix);
    runtime = await DocServiceRuntime.start(
      docServiceEnv.loadConfig({
        DATABASE_URL: databaseUrl,
        REDIS_URL: redisUrl,
        REDIS_PREFIX: prefix,
        HTTP_PORT: '0',
        LOG_LEVEL: 'silent',
        DB_POOL_SIZE: '8',
      }),
      silent,
    );
    const replyChannel = keys.replies(`bench-${randomBytes(3).toString('hex')}`);
    const subscriber = redis.duplicate();
    const waiting = new Map();
    subscriber.on('message', (_channel, message) => {
      const reply = JSON.parse(message);
      waiting.get(reply.requestId)?.(reply);
    });
    await subscriber.subscribe(replyChannel);
    const inboxLoad = (docId) =>
      new Promise((resolve, reject) => {
        const requestId = randomUUID();
        waiting.set(requestId, (reply) => {
          waiting.delete(requestId);
          if (reply.ok) resolve(reply.result);
          else reject(new Error(`${reply.error.code}: ${reply.error.message}`));
        });
        void redis.publish(
          keys.inbox(runtime.instanceId),
          JSON.stringify({ type: 'load', docId, requestId, replyTo: replyChannel, correlationId: requestId }),
        );
      });
    const evict = () => runtime.registry.evictIdle(Number.POSITIVE_INFINITY);
    const inbox = {};
    for (const [name, docId] of [
      ['with_snapshots', withSnapshots],
      ['without_snapshots', withoutSnapshots],
    ]) {
      inbox[name] = await measure(`inbox_load ${name}`, docId, text, evict, () => inboxLoad(docId));
      print({
        bench: 'history',
        path: 'inbox_load',
        document: name,
        operations: operationCount,
        ...inbox[name],
      });
    }
    subscriber.disconnect();

    // 3. The real join: Socket.IO client -> gateway -> owner -> ack with content and HTML.
    const join = {};
    try {
      const { createGatewayApp } = require('../../apps/gateway/dist/gateway.app.js');
      const gatewayEnv = require('../../apps/gateway/dist/config/env.js');
      const { signAccessToken } = require('../../apps/gateway/dist/auth/access-token.js');
      gateway = await createGatewayApp(
        gatewayEnv.loadConfig({
          DATABASE_URL: databaseUrl,
          REDIS_URL: redisUrl,
          REDIS_PREFIX: prefix,
          JWT_SECRET,
          MEMBERSHIP_POLL_MS: '200',
          LOG_LEVEL: 'silent',
        }),
        silent,
      );
      await gateway.listen(0, '127.0.0.1');
      const url = `http://127.0.0.1:${gateway.getHttpServer().address().port}`;
      socket = io(url, {
        auth: {
          token: signAccessToken(JWT_SECRET, ownerId, 3600),
          protocolVersion: contracts.PROTOCOL_VERSION,
        },
        transports: ['websocket'],
        reconnection: false,
      });
      await new Promise((resolve, reject) => {
        socket.once('connect', resolve);
        socket.once('connect_error', reject);
      });
      const emitJoin = async (docId) => {
        for (let attempt = 0; ; attempt++) {
          const ack = await socket.timeout(30_000).emitWithAck('join', { docId });
          // The gateway may not have seen the doc-service's membership yet right after start.
          if (ack.ok) {
            if (typeof ack.html !== 'string' || ack.html.length === 0) throw new Error('join: no HTML');
            return ack;
          }
          if (attempt > 50) throw new Error(`join: ${ack.error.code}`);
          await new Promise((r) => setTimeout(r, 100));
        }
      };
      for (const [name, docId] of [
        ['with_snapshots', withSnapshots],
        ['without_snapshots', withoutSnapshots],
      ]) {
        join[name] = await measure(`join ${name}`, docId, text, evict, () => emitJoin(docId));
        print({ bench: 'history', path: 'join', document: name, operations: operationCount, ...join[name] });
      }
    } catch (error) {
      print({
        bench: 'history',
        path: 'join',
        skipped: String(error instanceof Error ? error.message : error),
      });
    }

    // 4. The history API on the same document: diff, attribution, listing with sessions.
    const history = await measureHistory(dataSource, gateway, ownerId, withSnapshots);

    const headline = join.with_snapshots ?? inbox.with_snapshots;
    const headlineWithout = join.without_snapshots ?? inbox.without_snapshots;
    print({
      bench: 'history',
      metric: 'time_to_first_content_ms',
      path: join.with_snapshots ? 'join' : 'inbox_load',
      operations: operationCount,
      with_snapshots_median_ms: headline.median_ms,
      without_snapshots_median_ms: headlineWithout.median_ms,
      actor_load_with_snapshots_median_ms: actorLoad.with_snapshots.median_ms,
      speedup: round(headlineWithout.median_ms / headline.median_ms),
      target_ms: TARGET_MS,
      meets_target: headline.median_ms < TARGET_MS,
      history_diff_10000_median_ms: history.diff.median_ms,
      history_attribution_head_median_ms: history.attribution.median_ms,
      history_listing_median_ms: history.listing.median_ms,
      history_meets_targets:
        history.diff.median_ms <= HISTORY_TARGETS.diff &&
        history.attribution.median_ms <= HISTORY_TARGETS.attribution &&
        history.listing.median_ms <= HISTORY_TARGETS.listing,
    });
  } finally {
    socket?.disconnect();
    await gateway?.close().catch(() => undefined);
    await runtime?.stop().catch(() => undefined);
    await dataSource.destroy().catch(() => undefined);
    let cursor = '0';
    do {
      const [next, found] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000);
      if (found.length > 0) await redis.del(...found);
      cursor = next;
    } while (cursor !== '0');
    redis.disconnect();
    await admin(`DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`).catch(() => undefined);
  }
}

main().then(
  () => process.exit(0),
  (error) => {
    console.error(error);
    process.exit(1);
  },
);
