import { PASSWORD_POLICY, PasswordProblem, passwordProblems } from './password-policy';

describe('passwordProblems', () => {
  it('passes a decent password', () => {
    expect(passwordProblems('correct horse 9')).toEqual([]);
    expect(passwordProblems('Tr0ub4dor&3x')).toEqual([]);
  });

  it('requires at least 10 characters, counted as code points', () => {
    expect(PASSWORD_POLICY.minLength).toBe(10);
    expect(passwordProblems('abc12345x')).toEqual([PasswordProblem.TooShort]);
    expect(passwordProblems('abc123456x')).toEqual([]);
    // Five emoji are ten UTF-16 units but five characters.
    expect(passwordProblems('a1😀😀😀😀😀')).toContain(PasswordProblem.TooShort);
  });

  it('bounds the length', () => {
    expect(passwordProblems(`a1${'x'.repeat(PASSWORD_POLICY.maxLength)}`)).toContain(PasswordProblem.TooLong);
  });

  it('requires a letter and a digit or symbol', () => {
    expect(passwordProblems('12345678901')).toContain(PasswordProblem.NeedsLetter);
    expect(passwordProblems('onlyletterswords')).toContain(PasswordProblem.NeedsDigitOrSymbol);
    expect(passwordProblems('only letters words')).toEqual([]);
  });

  it('refuses passwords made of the email or the name, and common ones', () => {
    expect(passwordProblems('lovelace2024!', { email: 'lovelace@example.com' })).toContain(
      PasswordProblem.ContainsPersonalInfo,
    );
    expect(passwordProblems('Ada Lovelace 1', { name: 'Ada Lovelace' })).toContain(
      PasswordProblem.ContainsPersonalInfo,
    );
    expect(passwordProblems('Password123')).toContain(PasswordProblem.TooCommon);
  });
});
