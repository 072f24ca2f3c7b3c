// ShareDB 7 as the other side of bench/peers: one server process
// (sharedb-server.mjs) on a private database (its tables in a schema of
// their own, from sharedb-postgres' structure.sql) and a private Redis
// channel prefix, typed into with sharedb/lib/client over `ws`. An editor is
// one connection with one subscribed document; a keystroke's latency runs
// from submitOp to its callback (the server's acknowledgement).
import { fork } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { randomUUID } from 'node:crypto';
import { runStamp } from '../lib/bench-stack.mjs';
import { keystroke } from '../lib/keystroke.mjs';
import { dropPrivateInfra, withDatabase } from '../lib/private-infra.mjs';

const require = createRequire(import.meta.url);
const pg = require('pg');
const WebSocket = require('ws');
const ShareDBClient = require('sharedb/lib/client');
const richText = require('rich-text');

ShareDBClient.types.register(richText.type);

const COLLECTION = 'docs';
const SCHEMA = 'sharedb';
const EMPTY = [{ insert: '\n' }];

const callback = (run) =>
  new Promise((resolve, reject) => run((error, value) => (error ? reject(error) : resolve(value))));

async function withClient(connectionString, work) {
  const client = new pg.Client({ connectionString });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/** The private database, and sharedb-postgres' tables in their schema. */
async function createDatabase(env) {
  const name = new URL(env.DATABASE_URL).pathname.slice(1);
  await withClient(withDatabase(env.DATABASE_URL, 'postgres'), (c) => c.query(`CREATE DATABASE "${name}"`));
  const structure = readFileSync(require.resolve('sharedb-postgres/structure.sql'), 'utf8');
  await withClient(env.DATABASE_URL, async (c) => {
    await c.query(`CREATE SCHEMA ${SCHEMA}`);
    await c.query(`SET search_path = ${SCHEMA}`);
    await c.query(structure);
  });
}

function startServer(env, port, nodeArgs) {
  const child = fork(new URL('./sharedb-server.mjs', import.meta.url), [], {
    execArgv: nodeArgs,
    env: {
      ...process.env,
      SHAREDB_PG_URL: env.DATABASE_URL,
      SHAREDB_PG_SCHEMA: SCHEMA,
      // The same pool as each of this stack's doc-services gets in the benchmark.
      SHAREDB_PG_POOL: process.env.DB_POOL_SIZE ?? '20',
      SHAREDB_REDIS_URL: env.REDIS_URL,
      SHAREDB_PREFIX: env.REDIS_PREFIX,
      SHAREDB_PORT: String(port),
    },
  });
  const exited = new Promise((resolve) => child.once('exit', resolve));
  const ready = new Promise((resolve, reject) => {
    child.once('message', resolve);
    void exited.then((code) => reject(new Error(`the ShareDB server exited (${code}) while starting`)));
  });
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    await exited;
    clearTimeout(timer);
  };
  return { child, ready, stop };
}

function connect(url) {
  return new ShareDBClient.Connection(new WebSocket(url));
}

/** Starts ShareDB; resolves to the system interface that bench/peers/load.mjs drives. */
export async function startShareDbSystem({ port, nodeArgs = [] }) {
  const stamp = runStamp();
  const env = {
    DATABASE_URL: withDatabase(
      process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres',
      `sharedb_bench_${stamp}`,
    ),
    REDIS_URL: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379',
    REDIS_PREFIX: `sharedb_bench${stamp}:`,
  };
  let server;
  try {
    await createDatabase(env);
    server = startServer(env, port, nodeArgs);
    await server.ready;
  } catch (error) {
    await server?.stop();
    await dropPrivateInfra(env);
    throw error;
  }
  const url = `ws://127.0.0.1:${port}`;
  return {
    name: 'sharedb',
    pids: () => ({ sharedb: server.child.pid }),
    groups: { sharedb: ['sharedb'], postgres: ['postgres'], redis: ['redis'] },
    metrics: {},
    /** Creates the documents (each "\n", as this stack's start) through one connection. */
    async createDocuments(documents, editorsPerDoc) {
      const connection = connect(url);
      const docs = Array.from({ length: documents }, () => ({
        docId: randomUUID(),
        editors: Array.from({ length: editorsPerDoc }, () => ({})),
      }));
      for (let i = 0; i < docs.length; i += 50) {
        await Promise.all(
          docs
            .slice(i, i + 50)
            .map(({ docId }) =>
              callback((done) => connection.get(COLLECTION, docId).create(EMPTY, 'rich-text', done)),
            ),
        );
      }
      connection.close();
      return docs;
    },
    async open(docs, parallel = 50) {
      const all = docs.flatMap((d) => d.editors.map(() => d.docId));
      const editors = [];
      for (let i = 0; i < all.length; i += parallel) {
        const batch = all.slice(i, i + parallel).map(async (docId) => {
          const connection = connect(url);
          const doc = connection.get(COLLECTION, docId);
          await callback((done) => doc.subscribe(done));
          return { connection, doc, docId };
        });
        editors.push(...(await Promise.all(batch)));
      }
      return editors;
    },
    /** One keystroke; resolves on the submit callback (the server's ack), rejects on its error. */
    submit({ doc }, index) {
      const { at, char } = keystroke(doc.data.length(), index);
      return callback((done) => doc.submitOp(new richText.Delta().retain(at).insert(char).ops, done));
    },
    async settle(editors) {
      await Promise.all(editors.map(({ doc }) => new Promise((resolve) => doc.whenNothingPending(resolve))));
    },
    /** A fresh read of each document's snapshot from ShareDB's database. */
    durable: (docIds) =>
      withClient(env.DATABASE_URL, async (c) => {
        const { rows } = await c.query(
          `SELECT doc_id, version, data FROM ${SCHEMA}.snapshots WHERE collection = $1 AND doc_id = ANY($2)`,
          [COLLECTION, docIds],
        );
        return new Map(
          rows.map((r) => [
            r.doc_id,
            { version: r.version, ops: Array.isArray(r.data) ? r.data : r.data.ops },
          ]),
        );
      }),
    view: ({ doc, docId }) => ({ docId, version: doc.version, ops: doc.data.ops }),
    close(editors) {
      for (const { connection } of editors) connection.close();
    },
    async stop() {
      try {
        await server.stop();
      } finally {
        await dropPrivateInfra(env);
      }
    },
  };
}
