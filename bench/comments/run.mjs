// What comments cost the editing path and the opening of a document: the
// local stack (as `npm start` runs it) on a private database and Redis
// prefix, driven by the client SDK and the REST API. Prints one JSON line per
// figure, the headline last; never fails on timing, only when the editors do
// not converge or a request is refused.
//
//   npm run bench:comments        (builds the apps first)
//   node bench/comments/run.mjs   (uses the built apps)
//
// Two measurements (issue 16's targets, reported, never enforced):
//  - typing: committed ops/s and ack p99 of closed-loop editors on documents
//    with no thread, then on as many documents with BENCH_THREADS (20) open
//    threads each (target: within 5 %);
//  - opening: join plus the first page of threads (BENCH_FIRST_PAGE, 50, the
//    web app's) of a document with BENCH_JOIN_THREADS (500) threads, against
//    one without (target: at most 2x), after BENCH_JOIN_OPS operations typed
//    since the threads were made; also when every thread is listed, and the
//    way it opened before first pages (join, then the whole list).
//
// Environment: BENCH_SECONDS (per typing phase, default 20), BENCH_DOCS (200),
// BENCH_EDITORS (4 per document), BENCH_THREADS (20), BENCH_JOIN_THREADS
// (500), BENCH_JOIN_OPS (500), BENCH_JOIN_SAMPLES (20), BENCH_PORT (3980),
// BENCH_NODE_ARGS (node flags for the services), DATABASE_URL / REDIS_URL
// (servers; default local).
import { randomUUID } from 'node:crypto';
import { createRequire } from 'node:module';
import v8 from 'node:v8';
import vm from 'node:vm';
import { startBenchStack } from '../lib/bench-stack.mjs';
import { measureTypingPhase } from '../lib/typing-phase.mjs';
import { openEditors, percentiles } from '../e2e/editors.mjs';
import { seed } from '../e2e/seed.mjs';

const require = createRequire(import.meta.url);
const { CollabDocument, CommentsClient } = require('../../libs/client/dist/index.js');
const Delta = require('quill-delta');

const seconds = Number(process.env.BENCH_SECONDS ?? 20);
const documents = Number(process.env.BENCH_DOCS ?? 200);
const editorsPerDoc = Number(process.env.BENCH_EDITORS ?? 4);
const threadsPerDoc = Number(process.env.BENCH_THREADS ?? 20);
const joinThreads = Number(process.env.BENCH_JOIN_THREADS ?? 500);
const joinOps = Number(process.env.BENCH_JOIN_OPS ?? 500);
const joinSamples = Number(process.env.BENCH_JOIN_SAMPLES ?? 20);
const port = Number(process.env.BENCH_PORT ?? 3980);

const emit = (figure) => console.log(JSON.stringify(figure));
// Each opening is timed from a collected heap in this process (a browser opening a document does not
// carry the garbage of the 500-thread list the previous sample parsed): without it, those collections
// land in the next sample's join.
v8.setFlagsFromString('--expose-gc');
const collect = vm.runInNewContext('gc');
const api = `http://127.0.0.1:${port}/api`;
const TEXT = 'Comments are anchored to the text they were made on, and move with it as people type. '.repeat(
  8,
);

async function rest(method, path, token, body) {
  const res = await fetch(`${api}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const answer = await res.json().catch(() => null);
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(answer)}`);
  return answer;
}

/** Types the opening text of a document through `doc` and answers the version it committed at. */
async function writeText(doc) {
  doc.submit(new Delta().insert(TEXT));
  await doc.whenSynced(30_000);
  return doc.version;
}

/** `count` threads on short ranges spread over the text, made at `version`, 20 requests at a time. */
async function addThreads(docId, token, version, count) {
  const span = TEXT.length - 8;
  for (let i = 0; i < count; i += 20) {
    const batch = [];
    for (let k = i; k < Math.min(count, i + 20); k++) {
      const from = (k * 37) % span;
      batch.push(
        rest('POST', `/documents/${docId}/comments`, token, {
          threadId: randomUUID(),
          commentId: randomUUID(),
          anchor: { from, to: from + 6, version },
          body: `Thread ${k + 1}: is this right?`,
        }),
      );
    }
    await Promise.all(batch);
  }
}

/** Closed-loop typing on `docs`, each with its opening text and `threads` threads; one figure. */
async function typingPhase(env, name, threads) {
  const docs = await seed(env.DATABASE_URL, env.JWT_SECRET, {
    documents,
    editorsPerDoc,
    users: Math.max(editorsPerDoc, Math.ceil((documents * editorsPerDoc) / 10)),
  });
  const editors = await openEditors(`http://127.0.0.1:${port}`, docs);
  // The first editor of each document writes its text and (owner) makes the threads.
  let first = 0;
  for (const d of docs) {
    const version = await writeText(editors[first]);
    if (threads > 0) await addThreads(d.docId, d.editors[0].token, version, threads);
    first += d.editors.length;
  }
  for (const doc of editors) await doc.whenSynced(30_000);
  return measureTypingPhase({
    name,
    databaseUrl: env.DATABASE_URL,
    docs,
    editors,
    seconds,
    ratePerEditor: null,
    labels: { threads_per_doc: threads },
    emit,
  });
}

/** Threads the web app asks for first (apps/web/src/comments/use-comments.ts, FIRST_PAGE). */
const FIRST_PAGE = Number(process.env.BENCH_FIRST_PAGE ?? 50);

/**
 * One opening of a document, as the web app does it, through the SDK (whose
 * CommentsClient checks each answer against the contract's schema, as the
 * browser does): the join (the text shown and editable), then the threads
 * first in the text (`?limit=FIRST_PAGE`: those beside the top of the page),
 * then the whole list. `ms` is the document open with its first threads;
 * `wholeMs` is when every thread is listed. With `whole`, the way it opened
 * before the first page existed: the join, then the whole list (`ms` then
 * equals `wholeMs`).
 */
async function openOnce(docId, token, whole = false) {
  const url = `http://127.0.0.1:${port}`;
  const started = performance.now();
  const doc = new CollabDocument({ url, docId, token: () => token });
  await doc.open();
  const joinMs = performance.now() - started;
  const client = new CommentsClient({ url, docId, token: () => token });
  const first = whole ? null : await client.list({ limit: FIRST_PAGE });
  const ms = performance.now() - started;
  const list = first?.complete ? first : await client.list();
  const wholeMs = performance.now() - started;
  doc.close();
  return { ms: whole ? wholeMs : ms, wholeMs, joinMs, threads: list.threads.length };
}

/**
 * A document with `threads` threads and `joinOps` operations typed after
 * them, opened `joinSamples` + 1 times the web app's way, and `joinSamples`
 * times the way it opened before (join, then the whole list), alternating.
 */
async function joinPhase(env, threads) {
  const [d] = await seed(env.DATABASE_URL, env.JWT_SECRET, { documents: 1, editorsPerDoc: 1, users: 1 });
  const { token } = d.editors[0];
  const [writer] = await openEditors(`http://127.0.0.1:${port}`, [d]);
  const version = await writeText(writer);
  await addThreads(d.docId, token, version, threads);
  // Typing after the threads were made: their stored anchors lag (until a snapshot or a read moves them).
  for (let i = 0; i < joinOps; i++) {
    writer.submit(new Delta().retain(Math.floor(Math.random() * (writer.length - 1))).insert('x'));
    await writer.whenSynced(30_000);
  }
  writer.close();
  collect();
  const first = await openOnce(d.docId, token);
  if (first.threads !== threads) throw new Error(`listed ${first.threads} threads, made ${threads}`);
  const opens = [];
  const wholes = [];
  const joins = [];
  const before = [];
  for (let i = 0; i < joinSamples; i++) {
    collect();
    const { ms, wholeMs, joinMs } = await openOnce(d.docId, token);
    opens.push(ms);
    wholes.push(wholeMs);
    joins.push(joinMs);
    collect();
    before.push((await openOnce(d.docId, token, true)).ms);
  }
  const figure = {
    phase: `join-${threads}-threads`,
    threads,
    first_page: FIRST_PAGE,
    ops_after_threads: joinOps,
    first_open_ms: Math.round(first.ms * 100) / 100,
    samples: opens.length,
    ...percentiles(opens),
    join_only_p50_ms: percentiles(joins).p50_ms,
    all_listed_p50_ms: percentiles(wholes).p50_ms,
    join_then_whole_list_p50_ms: percentiles(before).p50_ms,
  };
  emit(figure);
  return figure;
}

async function main() {
  const { env, stop } = await startBenchStack({
    port,
    docServices: 2,
    nodeArgs: (process.env.BENCH_NODE_ARGS ?? '').split(' ').filter(Boolean),
    overrides: {
      // A load test, not abuse: the limits sized for people typing would cap the closed loop.
      OPS_PER_SECOND_PER_SOCKET: '10000',
      OPS_PER_SECOND_PER_USER: '10000',
      EVENTS_PER_SECOND_PER_SOCKET: '100000',
      MAX_SOCKETS_PER_USER: '1000',
      DB_POOL_SIZE: process.env.DB_POOL_SIZE ?? '20',
    },
  });
  try {
    const bare = await typingPhase(env, 'typing-no-threads', 0);
    const commented = await typingPhase(env, `typing-${threadsPerDoc}-threads`, threadsPerDoc);
    const joinBare = await joinPhase(env, 0);
    const joinCommented = await joinPhase(env, joinThreads);
    const ratio = (a, b) => (b ? Math.round((a / b) * 1000) / 1000 : null);
    emit({
      headline: 'comments',
      committed_ops_s_no_threads: bare.committed_ops_s,
      committed_ops_s_with_threads: commented.committed_ops_s,
      ops_ratio: ratio(commented.committed_ops_s, bare.committed_ops_s),
      p99_ms_no_threads: bare.p99_ms,
      p99_ms_with_threads: commented.p99_ms,
      join_p50_ms_no_threads: joinBare.p50_ms,
      join_p50_ms_with_threads: joinCommented.p50_ms,
      join_ratio: ratio(joinCommented.p50_ms, joinBare.p50_ms),
      first_open_ratio: ratio(joinCommented.first_open_ms, joinBare.first_open_ms),
      join_only_ratio: ratio(joinCommented.join_only_p50_ms, joinBare.join_only_p50_ms),
      all_listed_ratio: ratio(joinCommented.all_listed_p50_ms, joinBare.all_listed_p50_ms),
      join_then_whole_list_ratio: ratio(
        joinCommented.join_then_whole_list_p50_ms,
        joinBare.join_then_whole_list_p50_ms,
      ),
    });
  } finally {
    await stop();
  }
}

main().catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
});
