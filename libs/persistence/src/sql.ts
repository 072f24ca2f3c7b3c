import { type EntityManager, QueryFailedError } from 'typeorm';

/** PostgreSQL SQLSTATE codes this library reacts to. */
export const PgErrorCode = {
  UNIQUE_VIOLATION: '23505',
  DUPLICATE_DATABASE: '42P04',
  INVALID_CATALOG_NAME: '3D000',
} as const;

export type PgErrorCode = (typeof PgErrorCode)[keyof typeof PgErrorCode];

interface PgErrorFields {
  code?: string;
  constraint?: string;
}

/** The SQLSTATE and constraint of a failed query, whether TypeORM wrapped the driver error or not. */
export function pgErrorFields(error: unknown): PgErrorFields {
  const source: unknown = error instanceof QueryFailedError ? error.driverError : error;
  if (typeof source !== 'object' || source === null) return {};
  const { code, constraint } = source as Record<string, unknown>;
  return {
    code: typeof code === 'string' ? code : undefined,
    constraint: typeof constraint === 'string' ? constraint : undefined,
  };
}

/**
 * Quotes a PostgreSQL identifier (database, schema, table name) for SQL text:
 * wraps it in double quotes and doubles any double quote inside.
 *
 * @throws TypeError for an empty name or one containing NUL, which PostgreSQL cannot store.
 */
export function quoteIdentifier(name: string): string {
  if (name.length === 0 || name.includes('\0')) {
    throw new TypeError(`invalid SQL identifier ${JSON.stringify(name)}`);
  }
  return `"${name.replace(/"/g, '""')}"`;
}

/**
 * Runs a statement and returns its rows and affected-row count. TypeORM's
 * `manager.query` returns `[rows, count]` for UPDATE/DELETE but bare rows for
 * everything else; the structured form is the same for every statement.
 */
export async function execute<T>(
  manager: EntityManager,
  sql: string,
  parameters: unknown[],
): Promise<{ rows: T[]; affected: number }> {
  const runner = manager.queryRunner ?? manager.dataSource.createQueryRunner();
  try {
    const result = await runner.query(sql, parameters, true);
    return { rows: result.records as T[], affected: result.affected ?? 0 };
  } finally {
    if (!manager.queryRunner) await runner.release();
  }
}

/**
 * The rows an `UPDATE ... RETURNING` or `DELETE ... RETURNING` gave back.
 * TypeORM's PostgreSQL `query` answers those commands with `[rows, rowCount]`
 * (and SELECT or INSERT with the rows alone); this reads both shapes.
 */
export async function rowsReturned<T>(manager: EntityManager, sql: string, params: unknown[]): Promise<T[]> {
  const result: unknown = await manager.query(sql, params);
  if (
    Array.isArray(result) &&
    result.length === 2 &&
    Array.isArray(result[0]) &&
    typeof result[1] === 'number'
  ) {
    return result[0] as T[];
  }
  return result as T[];
}
