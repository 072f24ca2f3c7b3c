import {
  ErrorCode,
  type Me,
  RefreshRequest,
  SignOutRequest,
  SignUpRequest,
  type TokenPair,
} from '@collab/contracts';
import { Body, Controller, Get, HttpCode, Inject, Post, Req, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import type { Identity } from '../auth/identity';
import { CurrentUser } from '../http/current-user.decorator';
import { JwtAuthGuard } from '../http/jwt-auth.guard';
import { type Parsed, ZodValidationPipe } from '../http/zod-validation.pipe';
import { SignInLimiter } from '../limits/sign-in-limiter';
import { ApiErrors } from '../openapi/api-errors.decorator';
import { schemaRef } from '../openapi/openapi-schemas';
import { AccountsService } from './accounts.service';
import { clientIp, LocalAuthGuard } from './local-auth.guard';
import { SessionsService } from './sessions.service';

/** Sign-up, sign-in, token refresh, sign-out and the signed-in person. */
@ApiTags('accounts')
@Controller()
export class AccountsController {
  constructor(
    @Inject(AccountsService) private readonly accounts: AccountsService,
    @Inject(SessionsService) private readonly sessions: SessionsService,
    @Inject(SignInLimiter) private readonly limiter: SignInLimiter,
  ) {}

  @Post('auth/sign-up')
  @ApiOperation({ summary: 'Create an account and sign in' })
  @ApiBody({ schema: schemaRef('SignUpRequest') })
  @ApiResponse({ status: 201, schema: schemaRef('TokenPair') })
  @ApiErrors(ErrorCode.BAD_REQUEST, ErrorCode.WEAK_PASSWORD, ErrorCode.EMAIL_TAKEN, ErrorCode.RATE_LIMITED)
  async signUp(
    @Req() request: Request,
    @Body(new ZodValidationPipe(SignUpRequest)) body: Parsed<typeof SignUpRequest>,
  ): Promise<TokenPair> {
    // Hashing is deliberately slow: sign-ups count against the IP's attempts too.
    await this.limiter.attempt(clientIp(request));
    const userId = await this.accounts.signUp(body);
    return this.sessions.start(userId);
  }

  @Post('auth/sign-in')
  @HttpCode(200)
  @UseGuards(LocalAuthGuard)
  @ApiOperation({ summary: 'Sign in with email and password' })
  @ApiBody({ schema: schemaRef('SignInRequest') })
  @ApiResponse({ status: 200, schema: schemaRef('TokenPair') })
  @ApiErrors(ErrorCode.BAD_REQUEST, ErrorCode.INVALID_CREDENTIALS, ErrorCode.RATE_LIMITED)
  signIn(@CurrentUser() user: Identity): Promise<TokenPair> {
    return this.sessions.start(user.userId);
  }

  @Post('auth/refresh')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Exchange a refresh token for a new pair',
    description: 'The presented refresh token is revoked; presenting it again revokes the whole session.',
  })
  @ApiBody({ schema: schemaRef('RefreshRequest') })
  @ApiResponse({ status: 200, schema: schemaRef('TokenPair') })
  @ApiErrors(ErrorCode.BAD_REQUEST, ErrorCode.UNAUTHENTICATED)
  refresh(
    @Body(new ZodValidationPipe(RefreshRequest)) body: Parsed<typeof RefreshRequest>,
  ): Promise<TokenPair> {
    return this.sessions.refresh(body.refreshToken);
  }

  @Post('auth/sign-out')
  @HttpCode(204)
  @ApiOperation({ summary: 'End the session of a refresh token' })
  @ApiBody({ schema: schemaRef('SignOutRequest') })
  @ApiResponse({ status: 204, description: 'Signed out (also when already signed out).' })
  @ApiErrors(ErrorCode.BAD_REQUEST, ErrorCode.UNAUTHENTICATED)
  async signOut(
    @Body(new ZodValidationPipe(SignOutRequest)) body: Parsed<typeof SignOutRequest>,
  ): Promise<void> {
    await this.sessions.signOut(body.refreshToken);
  }

  @Get('me')
  @UseGuards(JwtAuthGuard)
  @ApiBearerAuth()
  @ApiOperation({ summary: 'The signed-in person' })
  @ApiResponse({ status: 200, schema: schemaRef('Me') })
  @ApiErrors(ErrorCode.UNAUTHENTICATED, ErrorCode.TOKEN_EXPIRED)
  me(@CurrentUser() user: Identity): Promise<Me> {
    return this.accounts.me(user.userId);
  }
}
