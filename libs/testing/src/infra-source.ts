/**
 * Where integration tests get PostgreSQL and Redis from, in this order:
 *   1. TEST_DATABASE_URL / TEST_REDIS_URL when set (CI, a developer's own servers);
 *   2. the machine's local servers (127.0.0.1:5432 user postgres, 127.0.0.1:6379) when they answer;
 *   3. testcontainers, where a container runtime exists.
 * Otherwise the test fails with a message naming all three options.
 */
export const LOCAL_POSTGRES_URL = 'postgres://postgres@127.0.0.1:5432/postgres';
export const LOCAL_REDIS_URL = 'redis://127.0.0.1:6379';

export type InfraKind = 'postgres' | 'redis';

export class TestInfraUnavailableError extends Error {
  constructor(kind: InfraKind, causes: string[]) {
    const envVar = kind === 'postgres' ? 'TEST_DATABASE_URL' : 'TEST_REDIS_URL';
    const local = kind === 'postgres' ? LOCAL_POSTGRES_URL : LOCAL_REDIS_URL;
    super(
      [
        `No ${kind} server for integration tests. Provide one of:`,
        `  1. ${envVar}=<url> pointing at a server the tests may create ${kind === 'postgres' ? 'databases' : 'keys'} on;`,
        `  2. a local server answering at ${local};`,
        `  3. a container runtime (Docker or Podman) for testcontainers.`,
        'What was tried:',
        ...causes.map((c) => `  - ${c}`),
      ].join('\n'),
    );
    this.name = 'TestInfraUnavailableError';
  }
}

export function describeError(error: unknown): string {
  return error instanceof Error ? error.message.split('\n')[0] : String(error);
}
