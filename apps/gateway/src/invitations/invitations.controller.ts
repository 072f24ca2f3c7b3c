import {
  AcceptInvitationRequest,
  type AcceptInvitationResult,
  ErrorCode,
  type InvitationList,
} from '@collab/contracts';
import { Body, Controller, Get, HttpCode, Inject, Param, Post, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiOperation, ApiParam, ApiResponse, ApiTags } from '@nestjs/swagger';
import { z } from 'zod';
import type { Identity } from '../auth/identity';
import { CurrentUser } from '../http/current-user.decorator';
import { JwtAuthGuard } from '../http/jwt-auth.guard';
import { type Parsed, ZodValidationPipe } from '../http/zod-validation.pipe';
import { ApiErrors } from '../openapi/api-errors.decorator';
import { schemaRef } from '../openapi/openapi-schemas';
import { InvitationsService } from './invitations.service';

const InvitationId = z.uuid();

/** Invitations addressed to the signed-in person. */
@ApiTags('invitations')
@ApiBearerAuth()
@ApiErrors(ErrorCode.UNAUTHENTICATED, ErrorCode.TOKEN_EXPIRED)
@UseGuards(JwtAuthGuard)
@Controller('invitations')
export class InvitationsController {
  constructor(@Inject(InvitationsService) private readonly invitations: InvitationsService) {}

  @Get()
  @ApiOperation({ summary: 'Pending invitations for the caller’s email' })
  @ApiResponse({ status: 200, schema: schemaRef('InvitationList') })
  pending(@CurrentUser() user: Identity): Promise<InvitationList> {
    return this.invitations.pending(user.userId);
  }

  @Post('accept')
  @HttpCode(200)
  @ApiOperation({ summary: 'Accept an invitation by its link token (single use, expires)' })
  @ApiBody({ schema: schemaRef('AcceptInvitationRequest') })
  @ApiResponse({ status: 200, schema: schemaRef('AcceptInvitationResult') })
  @ApiErrors(ErrorCode.BAD_REQUEST, ErrorCode.INVITATION_INVALID, ErrorCode.INVITATION_EXPIRED)
  acceptByToken(
    @CurrentUser() user: Identity,
    @Body(new ZodValidationPipe(AcceptInvitationRequest)) body: Parsed<typeof AcceptInvitationRequest>,
  ): Promise<AcceptInvitationResult> {
    return this.invitations.accept(user.userId, { token: body.token });
  }

  @Post(':invitationId/accept')
  @HttpCode(200)
  @ApiOperation({ summary: 'Accept one of the caller’s pending invitations' })
  @ApiParam({ name: 'invitationId', format: 'uuid' })
  @ApiResponse({ status: 200, schema: schemaRef('AcceptInvitationResult') })
  @ApiErrors(ErrorCode.BAD_REQUEST, ErrorCode.INVITATION_INVALID, ErrorCode.INVITATION_EXPIRED)
  acceptById(
    @CurrentUser() user: Identity,
    @Param('invitationId', new ZodValidationPipe(InvitationId)) invitationId: string,
  ): Promise<AcceptInvitationResult> {
    return this.invitations.accept(user.userId, { id: invitationId });
  }
}
