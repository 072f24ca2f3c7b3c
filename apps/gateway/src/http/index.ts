export { CurrentUser } from './current-user.decorator';
export { HttpExceptionFilter } from './http-exception.filter';
export { HTTP_STATUS } from './http-status';
export { JwtAuthGuard } from './jwt-auth.guard';
export { ZodValidationPipe } from './zod-validation.pipe';
