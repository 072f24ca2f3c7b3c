/**
 * The password policy, shared by the sign-up endpoint (which refuses with
 * `WEAK_PASSWORD`, details `{problems}`) and the sign-up form (which shows
 * the same problems as the person types).
 */
export const PASSWORD_POLICY = {
  /** Fewest characters (Unicode code points). */
  minLength: 10,
  /** Most characters: bounds the cost of hashing. */
  maxLength: 128,
} as const;

/** What can be wrong with a password. */
export const PasswordProblem = {
  /** Shorter than `PASSWORD_POLICY.minLength`. */
  TooShort: 'too_short',
  /** Longer than `PASSWORD_POLICY.maxLength`. */
  TooLong: 'too_long',
  /** Has no letter. */
  NeedsLetter: 'needs_letter',
  /** Has no digit or symbol. */
  NeedsDigitOrSymbol: 'needs_digit_or_symbol',
  /** Contains the email's name part or the person's name. */
  ContainsPersonalInfo: 'contains_personal_info',
  /** One of the most common passwords. */
  TooCommon: 'too_common',
} as const;

/** One of the values of {@link PasswordProblem}. */
export type PasswordProblem = (typeof PasswordProblem)[keyof typeof PasswordProblem];

// A short list of passwords that pass the rules above yet are among the
// first any attacker tries. The real defence is rate-limited sign-in.
const COMMON_PASSWORDS = new Set([
  'password12',
  'password123',
  'password1234',
  'passw0rd123',
  'qwerty1234',
  'qwertyuiop1',
  '1q2w3e4r5t',
  'iloveyou123',
  'welcome123',
  'letmein123',
  'abc1234567',
  'abcd123456',
  'admin12345',
  'changeme123',
]);

/**
 * Every way `password` falls short of the policy; empty when it passes.
 * `context` (the sign-up email and name) catches passwords built from them.
 */
export function passwordProblems(
  password: string,
  context: { email?: string; name?: string } = {},
): PasswordProblem[] {
  const problems: PasswordProblem[] = [];
  const length = Array.from(password).length;
  if (length < PASSWORD_POLICY.minLength) problems.push(PasswordProblem.TooShort);
  if (length > PASSWORD_POLICY.maxLength) problems.push(PasswordProblem.TooLong);
  if (!/\p{L}/u.test(password)) problems.push(PasswordProblem.NeedsLetter);
  if (!/[^\p{L}]/u.test(password)) problems.push(PasswordProblem.NeedsDigitOrSymbol);
  const lower = password.toLowerCase();
  const personal = [context.email?.split('@')[0], context.name]
    .map((part) => part?.trim().toLowerCase() ?? '')
    .filter((part) => part.length >= 4);
  if (personal.some((part) => lower.includes(part))) problems.push(PasswordProblem.ContainsPersonalInfo);
  if (COMMON_PASSWORDS.has(lower)) problems.push(PasswordProblem.TooCommon);
  return problems;
}
