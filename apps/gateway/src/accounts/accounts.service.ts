import { AppError, ErrorCode, type Me, passwordProblems, type SignUpRequest } from '@collab/contracts';
import { credentialsByEmail, findUser, insertUser, normalizeEmail } from '@collab/persistence';
import type { DataSource } from 'typeorm';
import { isUniqueViolation } from '../database/pg-errors';
import type { PasswordHasher } from './password-hasher';
import { colorFor } from './user-colors';

/** Accounts: creation, password check, profile. Knows nothing of tokens or HTTP. */
export class AccountsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly hasher: PasswordHasher,
  ) {}

  /** Creates an account; EMAIL_TAKEN or WEAK_PASSWORD (details `{problems}`) otherwise. Returns its id. */
  async signUp(request: SignUpRequest): Promise<string> {
    const email = normalizeEmail(request.email);
    const problems = passwordProblems(request.password, { email, name: request.name });
    if (problems.length > 0) {
      throw new AppError(ErrorCode.WEAK_PASSWORD, undefined, { details: { problems } });
    }
    const passwordHash = await this.hasher.hash(request.password);
    try {
      return await insertUser(this.dataSource.manager, {
        email,
        name: request.name,
        passwordHash,
        color: colorFor(email),
      });
    } catch (error) {
      // The unique constraint decides, so two sign-ups racing for one email cannot both win.
      if (isUniqueViolation(error, 'uq_users_email')) throw new AppError(ErrorCode.EMAIL_TAKEN);
      throw error;
    }
  }

  /** The account's id when the password is right, null otherwise (same timing either way). */
  async verifyCredentials(email: string, password: string): Promise<string | null> {
    const user = await credentialsByEmail(this.dataSource.manager, normalizeEmail(email));
    const ok = await this.hasher.verify(user?.passwordHash ?? null, password);
    return ok && user ? user.id : null;
  }

  /** The signed-in person; UNAUTHENTICATED when the account no longer exists. */
  async me(userId: string): Promise<Me> {
    const user = await findUser(this.dataSource.manager, userId);
    if (!user) throw new AppError(ErrorCode.UNAUTHENTICATED, 'This account no longer exists.');
    return { id: user.id, email: user.email, name: user.name, color: user.color };
  }
}
