/**
 * The stored form of an email address: trimmed and lower-cased. `users.email`
 * and `invitations.email` hold only this form (a CHECK constraint refuses any
 * other), so look-ups and uniqueness are case-insensitive. Normalize before
 * every insert and every look-up.
 */
export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}
