import { randomBytes } from 'node:crypto';
import { Algorithm, hash, verify } from '@node-rs/argon2';

/**
 * argon2id with the OWASP minimum (19 MiB, 2 passes, 1 lane): about 20 ms
 * per hash, which bounds a stolen database's cracking speed while keeping
 * sign-in cheap enough to serve (sign-in is also rate limited).
 */
const ARGON2_OPTIONS = {
  algorithm: Algorithm.Argon2id,
  memoryCost: 19_456,
  timeCost: 2,
  parallelism: 1,
} as const;

/** Hashes and checks passwords. The PHC string keeps its own parameters, so they can be raised later. */
export class PasswordHasher {
  /**
   * A hash of a random password, verified against when the email is
   * unknown, so that "no such account" takes as long as "wrong password"
   * and sign-in timing does not reveal who has an account.
   */
  private readonly decoy: Promise<string>;

  constructor() {
    this.decoy = hash(randomBytes(32), ARGON2_OPTIONS);
  }

  hash(password: string): Promise<string> {
    return hash(password, ARGON2_OPTIONS);
  }

  /** Whether `password` matches `stored`; false (never a throw) for a malformed stored hash. */
  async verify(stored: string | null, password: string): Promise<boolean> {
    try {
      if (stored === null) {
        await verify(await this.decoy, password);
        return false;
      }
      return await verify(stored, password);
    } catch {
      return false;
    }
  }
}
