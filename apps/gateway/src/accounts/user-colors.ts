import { createHash } from 'node:crypto';
import { ACCOUNT_COLORS } from '@collab/contracts';

/** A stable colour for a new account, derived from its email so it does not change on retry. */
export function colorFor(email: string): string {
  const digest = createHash('sha256').update(email).digest();
  return ACCOUNT_COLORS[digest.readUInt32BE(0) % ACCOUNT_COLORS.length] ?? ACCOUNT_COLORS[0];
}
