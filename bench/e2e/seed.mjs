// Seeds users, documents and memberships straight into PostgreSQL (the
// benchmark measures editing, not sign-up) and mints their access tokens
// with the stack's key, as the gateway's sign-in does.
import { randomUUID } from 'node:crypto';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const jwt = require('jsonwebtoken');
const pg = require('pg');

async function insertRows(client, table, columns, rows) {
  for (let i = 0; i < rows.length; i += 1000) {
    const chunk = rows.slice(i, i + 1000);
    const values = [];
    const tuples = chunk.map((row, r) => {
      values.push(...row);
      return `(${row.map((_, c) => `$${r * row.length + c + 1}`).join(', ')})`;
    });
    await client.query(`INSERT INTO ${table} (${columns.join(', ')}) VALUES ${tuples.join(', ')}`, values);
  }
}

/**
 * `documents` documents, each with `editorsPerDoc` editors drawn from a pool
 * of `users` users. Returns [{ docId, editors: [{ userId, token }] }].
 */
export async function seed(databaseUrl, jwtSecret, { documents, editorsPerDoc, users }) {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const userIds = Array.from({ length: users }, () => randomUUID());
    await insertRows(
      client,
      'users',
      ['id', 'email', 'name', 'password_hash', 'color'],
      userIds.map((id, i) => [id, `bench-${id}@example.test`, `Writer ${i + 1}`, '!', '#3366cc']),
    );
    const docs = Array.from({ length: documents }, (_, d) => ({
      docId: randomUUID(),
      editorIds: Array.from({ length: editorsPerDoc }, (_, e) => userIds[(d * editorsPerDoc + e) % users]),
    }));
    await insertRows(
      client,
      'documents',
      ['id', 'title', 'owner_id'],
      docs.map((d) => [d.docId, 'Benchmark', d.editorIds[0]]),
    );
    await insertRows(
      client,
      'document_members',
      ['document_id', 'user_id', 'role'],
      docs.flatMap((d) =>
        [...new Set(d.editorIds)].map((u, i) => [d.docId, u, i === 0 ? 'owner' : 'editor']),
      ),
    );
    const tokens = new Map(
      userIds.map((id) => [id, jwt.sign({ sub: id }, jwtSecret, { algorithm: 'HS256', expiresIn: 3600 })]),
    );
    return docs.map((d) => ({
      docId: d.docId,
      editors: d.editorIds.map((userId) => ({ userId, token: tokens.get(userId) })),
    }));
  } finally {
    await client.end();
  }
}

/** Committed operations in the database (all documents). */
export async function committedCount(databaseUrl) {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const { rows } = await client.query('SELECT count(*)::int AS n FROM operations');
    return rows[0].n;
  } finally {
    await client.end();
  }
}

/** Each document's head version (its last committed operation), by id. */
export async function headVersions(databaseUrl, docIds) {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const { rows } = await client.query(
      'SELECT id::text AS id, head_version::int AS head FROM documents WHERE id = ANY($1::uuid[])',
      [docIds],
    );
    return new Map(rows.map((r) => [r.id, r.head]));
  } finally {
    await client.end();
  }
}
