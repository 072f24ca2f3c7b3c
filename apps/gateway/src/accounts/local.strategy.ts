import { AppError, ErrorCode } from '@collab/contracts';
import { Inject, Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import { Strategy } from 'passport-local';
import type { Identity } from '../auth/identity';
import { AccountsService } from './accounts.service';

/**
 * passport-local: email and password from the (already validated and
 * normalized) JSON body. A wrong email and a wrong password answer the same
 * INVALID_CREDENTIALS, in the same time.
 */
@Injectable()
export class LocalStrategy extends PassportStrategy(Strategy, 'local') {
  constructor(@Inject(AccountsService) private readonly accounts: AccountsService) {
    super({ usernameField: 'email', passwordField: 'password', session: false });
  }

  async validate(email: string, password: string): Promise<Identity> {
    const userId = await this.accounts.verifyCredentials(email, password);
    if (userId === null) throw new AppError(ErrorCode.INVALID_CREDENTIALS);
    return { userId };
  }
}
