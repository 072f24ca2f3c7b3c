/** PostgreSQL's unique_violation. */
const UNIQUE_VIOLATION = '23505';
/** PostgreSQL's foreign_key_violation. */
const FOREIGN_KEY_VIOLATION = '23503';

/**
 * Whether `error` (a TypeORM QueryFailedError or a node-postgres error) is a
 * unique violation of `constraint`.
 */
export function isUniqueViolation(error: unknown, constraint: string): boolean {
  return violates(error, UNIQUE_VIOLATION, constraint);
}

/** Whether `error` is a foreign-key violation of `constraint`. */
export function isForeignKeyViolation(error: unknown, constraint: string): boolean {
  return violates(error, FOREIGN_KEY_VIOLATION, constraint);
}

function violates(error: unknown, code: string, constraint: string): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const fields = error as { code?: unknown; constraint?: unknown; driverError?: unknown };
  const driver = (fields.driverError ?? fields) as { code?: unknown; constraint?: unknown };
  return driver.code === code && driver.constraint === constraint;
}
