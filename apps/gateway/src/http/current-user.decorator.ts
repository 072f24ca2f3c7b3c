import { AppError, ErrorCode } from '@collab/contracts';
import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { Request } from 'express';
import type { Identity } from '../auth/identity';

/** The identity {@link JwtAuthGuard} put on the request; use only behind that guard. */
export const CurrentUser = createParamDecorator((_data: unknown, context: ExecutionContext): Identity => {
  const user = context.switchToHttp().getRequest<Request & { user?: Identity }>().user;
  if (!user) throw new AppError(ErrorCode.UNAUTHENTICATED);
  return user;
});
