/** PostgreSQL's unique_violation. */
const UNIQUE_VIOLATION = '23505';

/**
 * Whether `error` (a TypeORM QueryFailedError or a node-postgres error) is a
 * unique violation of `constraint`.
 */
export function isUniqueViolation(error: unknown, constraint: string): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const fields = error as { code?: unknown; constraint?: unknown; driverError?: unknown };
  const driver = (fields.driverError ?? fields) as { code?: unknown; constraint?: unknown };
  return driver.code === UNIQUE_VIOLATION && driver.constraint === constraint;
}
