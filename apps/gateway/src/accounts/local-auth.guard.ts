import { AppError, ErrorCode, parse, SignInRequest } from '@collab/contracts';
import { type ExecutionContext, Inject, Injectable } from '@nestjs/common';
import { AuthGuard } from '@nestjs/passport';
import type { Request } from 'express';
import type { Identity } from '../auth/identity';
import { SignInLimiter } from '../limits/sign-in-limiter';

/**
 * Guards `POST /auth/sign-in`. Guards run before pipes, so the body is
 * validated here (a malformed one is BAD_REQUEST, not a failed sign-in),
 * then the attempt is rate limited, then passport-local checks the
 * password, and the outcome feeds the limiter.
 */
@Injectable()
export class LocalAuthGuard extends AuthGuard('local') {
  constructor(@Inject(SignInLimiter) private readonly limiter: SignInLimiter) {
    super();
  }

  override async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<Request>();
    const body = parse(SignInRequest, request.body);
    if (!body.ok) throw new AppError(body.error.code, body.error.message, { details: body.error.details });
    request.body = body.value;
    const { email } = body.value;
    const ip = clientIp(request);
    await this.limiter.attempt(ip, email);
    try {
      const ok = (await super.canActivate(context)) as boolean;
      await this.limiter.succeeded(ip, email);
      return ok;
    } catch (error) {
      if (error instanceof AppError && error.code === ErrorCode.INVALID_CREDENTIALS) {
        await this.limiter.failed(ip, email);
      }
      throw error;
    }
  }

  override handleRequest<T = Identity>(err: unknown, user: T | false): T {
    if (err) throw err;
    if (!user) throw new AppError(ErrorCode.INVALID_CREDENTIALS);
    return user;
  }
}

/** The client's address as Express sees it (honours `trust proxy`, see TRUST_PROXY). */
export function clientIp(request: Request): string {
  return request.ip ?? request.socket.remoteAddress ?? 'unknown';
}
