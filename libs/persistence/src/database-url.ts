/**
 * Checks a PostgreSQL connection URL as given in configuration (DATABASE_URL),
 * and lists every problem in words an operator can act on. The password is
 * never repeated in a message.
 *
 * @returns The problems found; an empty array means the URL is usable.
 */
export function databaseUrlProblems(value: string | undefined): string[] {
  if (value === undefined || value.trim() === '') {
    return ['is not set (expected postgres://user:password@host:5432/database)'];
  }
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return ['is not a URL (expected postgres://user:password@host:5432/database)'];
  }
  const problems: string[] = [];
  if (url.protocol !== 'postgres:' && url.protocol !== 'postgresql:') {
    problems.push(`has protocol "${url.protocol}", expected "postgres:" or "postgresql:"`);
  }
  if (url.pathname.replace(/^\//, '') === '') {
    problems.push('names no database (expected .../<database> at the end)');
  }
  return problems;
}

/** The URL with its password masked, for log lines and error messages. */
export function redactDatabaseUrl(value: string): string {
  try {
    const url = new URL(value);
    if (url.password) url.password = '***';
    return url.toString();
  } catch {
    return '(unparseable URL)';
  }
}
