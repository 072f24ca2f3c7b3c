// This stack as one side of bench/peers: gateway, doc-service(s) and snapshot
// worker(s) as `npm start` runs them, on a private database and Redis prefix,
// typed into through the client SDK (libs/client) exactly as bench/e2e does.
import { createRequire } from 'node:module';
import { startBenchStack } from '../lib/bench-stack.mjs';
import { keystroke } from '../lib/keystroke.mjs';
import { openEditors } from '../e2e/editors.mjs';
import { seed } from '../e2e/seed.mjs';

const require = createRequire(import.meta.url);
const Delta = require('quill-delta');
const pg = require('pg');

/** The content every document starts from (version 0): one newline. */
const EMPTY = [{ insert: '\n' }];

/** Each document's head version and its content replayed from the operations log. */
async function durableCopies(databaseUrl, docIds) {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const copies = new Map(docIds.map((id) => [id, { version: 0, delta: new Delta(EMPTY) }]));
    const { rows } = await client.query(
      `SELECT document_id::text AS id, version::int AS version, delta FROM operations
       WHERE document_id = ANY($1::uuid[]) ORDER BY document_id, version`,
      [docIds],
    );
    for (const row of rows) {
      const copy = copies.get(row.id);
      // The log must have no hole: a version out of step is a lost commit.
      if (row.version !== copy.version + 1) throw new Error(`${row.id}: log jumps to ${row.version}`);
      copies.set(row.id, { version: row.version, delta: copy.delta.compose(new Delta(row.delta)) });
    }
    const heads = await client.query(
      'SELECT id::text AS id, head_version::int AS head FROM documents WHERE id = ANY($1::uuid[])',
      [docIds],
    );
    for (const { id, head } of heads.rows) {
      const logged = copies.get(id).version;
      if (logged !== head) throw new Error(`${id}: head ${head}, but the log ends at ${logged}`);
    }
    return new Map([...copies].map(([id, c]) => [id, { version: c.version, ops: c.delta.ops }]));
  } finally {
    await client.end();
  }
}

/** Starts the stack; resolves to the system interface that bench/peers/load.mjs drives. */
export async function startStackSystem({ port, docServices, workers, nodeArgs }) {
  const { env, stack, stop } = await startBenchStack({
    port,
    docServices,
    workers,
    nodeArgs,
    // As in bench/e2e: room for group commits from many documents at once.
    overrides: { DB_POOL_SIZE: process.env.DB_POOL_SIZE ?? '20' },
  });
  const labels = stack.children.map(({ label }) => label);
  return {
    name: 'stack',
    pids: () => Object.fromEntries(stack.children.map(({ label, child }) => [label, child.pid])),
    groups: {
      gateway: ['gateway'],
      'doc-services': labels.filter((l) => l.startsWith('doc-service-')),
      worker: labels.filter((l) => l.startsWith('worker-')),
      postgres: ['postgres'],
      redis: ['redis'],
    },
    // The services' own view of each acknowledgement (collab_op_ack_seconds).
    metrics: Object.fromEntries([
      ['gateway', `http://127.0.0.1:${port}/metrics`],
      ...Array.from({ length: docServices }, (_, i) => [
        `doc-service-${i + 1}`,
        `http://127.0.0.1:${port + 101 + i}/metrics`,
      ]),
    ]),
    createDocuments(documents, editorsPerDoc) {
      // Users are shared by ten editors each, as people open a few tabs.
      const users = Math.max(editorsPerDoc, Math.ceil((documents * editorsPerDoc) / 10));
      return seed(env.DATABASE_URL, env.JWT_SECRET, { documents, editorsPerDoc, users });
    },
    async open(docs) {
      const ids = docs.flatMap((d) => d.editors.map(() => d.docId));
      const sdk = await openEditors(stack.url, docs);
      return sdk.map((doc, i) => ({ doc, docId: ids[i] }));
    },
    /** One keystroke; resolves when the SDK holds nothing unacknowledged. */
    submit({ doc }, index) {
      const { at, char } = keystroke(doc.length, index);
      return new Promise((resolve) => {
        const onPending = (count) => {
          if (count > 0) return;
          doc.off('pending', onPending);
          resolve();
        };
        doc.on('pending', onPending);
        doc.submit(new Delta().retain(at).insert(char));
      });
    },
    async settle(editors) {
      for (const { doc } of editors) await doc.whenSynced(30_000);
    },
    durable: (docIds) => durableCopies(env.DATABASE_URL, docIds),
    view: ({ doc, docId }) => ({ docId, version: doc.version, ops: doc.document.ops }),
    close(editors) {
      for (const { doc } of editors) doc.close();
    },
    stop,
  };
}
