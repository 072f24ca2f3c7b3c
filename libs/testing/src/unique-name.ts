import { randomBytes } from 'node:crypto';

/**
 * A name unique to this test file and run, safe as a PostgreSQL identifier and a
 * Redis key segment: lower-case letters, digits and underscores only.
 */
export function uniqueTestName(label: string): string {
  const clean = label
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '')
    .slice(0, 30);
  return `t_${clean || 'test'}_${process.pid}_${randomBytes(4).toString('hex')}`;
}
