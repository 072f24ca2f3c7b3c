// The benchmark's correctness check, run at the end over every document it
// wrote to: timing never fails a run, a wrong result does. For each
// document the operations table must hold versions 1..n without a gap, each
// (clientId, seq) once, every acknowledged operation under the version it
// was acknowledged with, and a replay of the table must contain each
// acknowledged token exactly once (nothing lost, nothing applied twice).
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const pg = require('pg');
const Delta = require('quill-delta');

/** Returns a list of problems (empty when every acknowledged operation is stored exactly once). */
export async function verifyAcked(databaseUrl, acked) {
  const byDoc = new Map();
  for (const a of acked) {
    if (!byDoc.has(a.docId)) byDoc.set(a.docId, []);
    byDoc.get(a.docId).push(a);
  }
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  const problems = [];
  try {
    const { rows } = await client.query(
      'SELECT document_id, version, client_id, seq, delta FROM operations WHERE document_id = ANY($1) ORDER BY document_id, version',
      [[...byDoc.keys()]],
    );
    const stored = new Map();
    for (const row of rows) {
      if (!stored.has(row.document_id)) stored.set(row.document_id, []);
      stored.get(row.document_id).push(row);
    }
    for (const [docId, acks] of byDoc) {
      const ops = stored.get(docId) ?? [];
      const where = `document ${docId}`;
      ops.forEach((op, i) => {
        if (Number(op.version) !== i + 1)
          problems.push(`${where}: version ${op.version} at position ${i + 1}`);
      });
      const keys = new Map(ops.map((op) => [`${op.client_id}#${op.seq}`, Number(op.version)]));
      if (keys.size !== ops.length) problems.push(`${where}: a (clientId, seq) is stored twice`);
      const text = ops
        .reduce((doc, op) => doc.compose(new Delta(op.delta)), new Delta([{ insert: '\n' }]))
        .ops.map((op) => (typeof op.insert === 'string' ? op.insert : ''))
        .join('');
      for (const a of acks) {
        const version = keys.get(`${a.clientId}#${a.seq}`);
        if (version !== a.version)
          problems.push(`${where}: ${a.token} acknowledged as ${a.version}, stored as ${version}`);
        const count = text.split(a.token).length - 1;
        if (count !== 1) problems.push(`${where}: ${a.token} appears ${count} times`);
      }
    }
  } finally {
    await client.end();
  }
  return problems;
}
