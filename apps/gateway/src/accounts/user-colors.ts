import { createHash } from 'node:crypto';

/**
 * Caret and avatar colours: distinct hues dark enough for white initials
 * and readable as a selection tint.
 */
const PALETTE = [
  '#e6194b',
  '#3cb44b',
  '#4363d8',
  '#f58231',
  '#911eb4',
  '#008080',
  '#9a6324',
  '#800000',
  '#000075',
  '#c71585',
  '#2e8b57',
  '#b8860b',
] as const;

/** A stable colour for a new account, derived from its email so it does not change on retry. */
export function colorFor(email: string): string {
  const digest = createHash('sha256').update(email).digest();
  return PALETTE[digest.readUInt32BE(0) % PALETTE.length] ?? PALETTE[0];
}
