/**
 * The colours an account can get (carets, selections, avatars): distinct
 * hues dark enough for white initials and readable as a selection tint.
 * The gateway gives each new account one of them, from a hash of its email;
 * the web app tells apart document members who share one.
 */
export const ACCOUNT_COLORS = [
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
