import {
  ErrorCode,
  MarkNotificationsRead,
  type NotificationList,
  NotificationListQuery,
  type UnreadCount,
} from '@collab/contracts';
import { Body, Controller, Get, HttpCode, Inject, Post, Query, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiOperation, ApiQuery, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { Identity } from '../auth/identity';
import { CurrentUser } from '../http/current-user.decorator';
import { JwtAuthGuard } from '../http/jwt-auth.guard';
import { ZodValidationPipe } from '../http/zod-validation.pipe';
import { ApiErrors } from '../openapi/api-errors.decorator';
import { schemaRef } from '../openapi/openapi-schemas';
import { NotificationsService } from './notifications.service';

// Aliases: the contracts' names are zod schemas too (see HistoryController).
type ListParams = NotificationListQuery;
type MarkBody = MarkNotificationsRead;

/** The caller's inbox: mentions in comments, newest first. */
@ApiTags('notifications')
@ApiBearerAuth()
@ApiErrors(ErrorCode.UNAUTHENTICATED, ErrorCode.TOKEN_EXPIRED, ErrorCode.BAD_REQUEST)
@UseGuards(JwtAuthGuard)
@Controller('notifications')
export class NotificationsController {
  constructor(@Inject(NotificationsService) private readonly notifications: NotificationsService) {}

  @Get()
  @ApiQuery({ name: 'limit', required: false, type: Number, description: 'Entries (1-200, default 50)' })
  @ApiQuery({ name: 'unread', required: false, enum: ['true', 'false'], description: 'Only unread ones' })
  @ApiOperation({ summary: 'List my notifications, newest first, with the unread count' })
  @ApiResponse({ status: 200, schema: schemaRef('NotificationList') })
  list(
    @CurrentUser() user: Identity,
    @Query(new ZodValidationPipe(NotificationListQuery)) query: ListParams,
  ): Promise<NotificationList> {
    return this.notifications.list(user.userId, query);
  }

  @Get('unread-count')
  @ApiOperation({ summary: 'How many of my notifications are unread' })
  @ApiResponse({ status: 200, schema: schemaRef('UnreadCount') })
  unreadCount(@CurrentUser() user: Identity): Promise<UnreadCount> {
    return this.notifications.unreadCount(user.userId);
  }

  @Post('read')
  @HttpCode(200)
  @ApiBody({ schema: schemaRef('MarkNotificationsRead') })
  @ApiOperation({
    summary: 'Mark notifications read',
    description: '`{ids}`: those of mine among them (other ids are ignored); `{all: true}`: all of mine.',
  })
  @ApiResponse({ status: 200, schema: schemaRef('UnreadCount') })
  markRead(
    @CurrentUser() user: Identity,
    @Body(new ZodValidationPipe(MarkNotificationsRead)) body: MarkBody,
  ): Promise<UnreadCount> {
    return this.notifications.markRead(user.userId, body);
  }
}
