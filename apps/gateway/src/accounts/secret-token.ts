import { createHash, randomBytes } from 'node:crypto';

/**
 * Refresh tokens and invitation link tokens: 256 random bits, base64url.
 * Only their SHA-256 is stored. A fast hash is right here (unlike for
 * passwords): the token has full entropy, so a stolen hash cannot be
 * reversed by guessing, and look-up by hash stays an index scan.
 */
export function newSecretToken(): { token: string; hash: string } {
  const token = randomBytes(32).toString('base64url');
  return { token, hash: hashSecretToken(token) };
}

/** The stored form of a secret token. */
export function hashSecretToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}
