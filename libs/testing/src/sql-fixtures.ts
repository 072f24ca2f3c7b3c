import { randomUUID } from 'node:crypto';

/**
 * Anything that runs SQL with positional parameters: a TypeORM DataSource or
 * EntityManager (which answer the rows) or a pg Pool or Client (which answer
 * a result with `rows`). The fixtures below write plain SQL so that this lib
 * needs no entity classes (libs/persistence tests use it too).
 */
export interface SqlRunner {
  query(sql: string, parameters?: unknown[]): Promise<unknown>;
}

async function rowsOf<T>(db: SqlRunner, sql: string, parameters: unknown[]): Promise<T[]> {
  const result = await db.query(sql, parameters);
  return (Array.isArray(result) ? result : (result as { rows: T[] }).rows) as T[];
}

/** Inserts a user (unusable password, unique email) and returns its id. */
export async function createUser(db: SqlRunner, name = 'Writer'): Promise<string> {
  const id = randomUUID();
  await db.query(
    `INSERT INTO users (id, email, name, password_hash, color) VALUES ($1, $2, $3, 'x', '#336699')`,
    [id, `${id}@example.test`, name],
  );
  return id;
}

/** Inserts a document owned by `ownerId`, with the owner's membership as the app creates it, and returns its id. */
export async function createDocument(db: SqlRunner, ownerId: string, title = 'Doc'): Promise<string> {
  const id = randomUUID();
  await db.query(`INSERT INTO documents (id, title, owner_id) VALUES ($1, $2, $3)`, [id, title, ownerId]);
  await db.query(`INSERT INTO document_members (document_id, user_id, role) VALUES ($1, $2, 'owner')`, [
    id,
    ownerId,
  ]);
  return id;
}

export interface StoredOp {
  readonly version: number;
  readonly clientId: string;
  readonly seq: number;
  readonly delta: unknown;
}

/** The document's operation log as stored, oldest first. */
export async function storedOps(db: SqlRunner, docId: string): Promise<StoredOp[]> {
  const rows = await rowsOf<{ version: string; delta: unknown; client_id: string; seq: string }>(
    db,
    'SELECT version, delta, client_id, seq FROM operations WHERE document_id = $1 ORDER BY version',
    [docId],
  );
  return rows.map((r) => ({
    version: Number(r.version),
    clientId: r.client_id,
    seq: Number(r.seq),
    delta: r.delta,
  }));
}
