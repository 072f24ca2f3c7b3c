import {
  ChangeMemberRoleRequest,
  DocId,
  ErrorCode,
  InviteMemberRequest,
  type MemberDto,
  type MemberList,
  type SentInvitation,
  UserId,
} from '@collab/contracts';
import {
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
  Inject,
  Param,
  Patch,
  Post,
  UseGuards,
} from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiOperation, ApiParam, ApiResponse, ApiTags } from '@nestjs/swagger';
import { z } from 'zod';
import type { Identity } from '../auth/identity';
import { CurrentUser } from '../http/current-user.decorator';
import { JwtAuthGuard } from '../http/jwt-auth.guard';
import { type Parsed, ZodValidationPipe } from '../http/zod-validation.pipe';
import { ApiErrors } from '../openapi/api-errors.decorator';
import { schemaRef } from '../openapi/openapi-schemas';
import { MembersService } from './members.service';

const InvitationId = z.uuid();

/** A document's members and the invitations its owner sent. */
@ApiTags('members')
@ApiBearerAuth()
@ApiParam({ name: 'docId', format: 'uuid' })
@ApiErrors(ErrorCode.UNAUTHENTICATED, ErrorCode.TOKEN_EXPIRED, ErrorCode.BAD_REQUEST, ErrorCode.NOT_FOUND)
@UseGuards(JwtAuthGuard)
@Controller('documents/:docId')
export class MembersController {
  constructor(@Inject(MembersService) private readonly members: MembersService) {}

  @Get('members')
  @ApiOperation({ summary: 'Members, owner first; pending invitations are listed for the owner only' })
  @ApiResponse({ status: 200, schema: schemaRef('MemberList') })
  list(
    @CurrentUser() user: Identity,
    @Param('docId', new ZodValidationPipe(DocId)) docId: string,
  ): Promise<MemberList> {
    return this.members.list(user.userId, docId);
  }

  @Post('invitations')
  @ApiOperation({
    summary: 'Invite someone by email as editor or viewer (owner only)',
    description: 'The answer carries the single-use link token; only its hash is stored.',
  })
  @ApiBody({ schema: schemaRef('InviteMemberRequest') })
  @ApiResponse({ status: 201, schema: schemaRef('SentInvitation') })
  @ApiErrors(ErrorCode.FORBIDDEN, ErrorCode.CONFLICT)
  invite(
    @CurrentUser() user: Identity,
    @Param('docId', new ZodValidationPipe(DocId)) docId: string,
    @Body(new ZodValidationPipe(InviteMemberRequest)) body: Parsed<typeof InviteMemberRequest>,
  ): Promise<SentInvitation> {
    return this.members.invite(user.userId, docId, body.email, body.role);
  }

  @Delete('invitations/:invitationId')
  @HttpCode(204)
  @ApiOperation({ summary: 'Withdraw a pending invitation (owner only)' })
  @ApiParam({ name: 'invitationId', format: 'uuid' })
  @ApiResponse({ status: 204, description: 'Withdrawn.' })
  @ApiErrors(ErrorCode.FORBIDDEN)
  async revokeInvitation(
    @CurrentUser() user: Identity,
    @Param('docId', new ZodValidationPipe(DocId)) docId: string,
    @Param('invitationId', new ZodValidationPipe(InvitationId)) invitationId: string,
  ): Promise<void> {
    await this.members.revokeInvitation(user.userId, docId, invitationId);
  }

  @Patch('members/:userId')
  @ApiOperation({ summary: 'Change a member’s role (owner only); live sockets follow within a second' })
  @ApiParam({ name: 'userId', format: 'uuid' })
  @ApiBody({ schema: schemaRef('ChangeMemberRoleRequest') })
  @ApiResponse({ status: 200, schema: schemaRef('MemberDto') })
  @ApiErrors(ErrorCode.FORBIDDEN, ErrorCode.CANNOT_REMOVE_OWNER)
  changeRole(
    @CurrentUser() user: Identity,
    @Param('docId', new ZodValidationPipe(DocId)) docId: string,
    @Param('userId', new ZodValidationPipe(UserId)) memberId: string,
    @Body(new ZodValidationPipe(ChangeMemberRoleRequest)) body: Parsed<typeof ChangeMemberRoleRequest>,
  ): Promise<MemberDto> {
    return this.members.changeRole(user.userId, docId, memberId.toLowerCase(), body.role);
  }

  @Delete('members/:userId')
  @HttpCode(204)
  @ApiOperation({
    summary: 'Remove a member (owner), or leave (yourself)',
    description: 'The owner cannot be removed. The removed person’s open editors are closed within a second.',
  })
  @ApiParam({ name: 'userId', format: 'uuid' })
  @ApiResponse({ status: 204, description: 'Removed.' })
  @ApiErrors(ErrorCode.FORBIDDEN, ErrorCode.CANNOT_REMOVE_OWNER)
  async remove(
    @CurrentUser() user: Identity,
    @Param('docId', new ZodValidationPipe(DocId)) docId: string,
    @Param('userId', new ZodValidationPipe(UserId)) memberId: string,
  ): Promise<void> {
    await this.members.remove(user.userId, docId, memberId.toLowerCase());
  }
}
