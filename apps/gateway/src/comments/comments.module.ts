import { Module } from '@nestjs/common';
import type { Logger } from 'pino';
import type { DataSource } from 'typeorm';
import { GATEWAY_DATA_SOURCE, GATEWAY_LOGGER } from '../config/config.token';
import { DocumentAccess } from '../documents/document-access';
import { MailQueue } from '../mail/mail-queue';
import { CommentEvents } from './comment-events';
import { CommentsController } from './comments.controller';
import { CommentsService } from './comments.service';
import { MentionNotifier } from './mention-notifier';
import { NotificationsController } from './notifications.controller';
import { NotificationsService } from './notifications.service';

/**
 * Comments, mentions and notifications (REST). `CommentEvents` comes from the
 * global GatewayModule, where the Socket.IO server is attached to it.
 */
@Module({
  controllers: [CommentsController, NotificationsController],
  providers: [
    {
      provide: MentionNotifier,
      inject: [GATEWAY_DATA_SOURCE, CommentEvents, MailQueue, GATEWAY_LOGGER],
      useFactory: (dataSource: DataSource, events: CommentEvents, mail: MailQueue, log: Logger) =>
        new MentionNotifier(dataSource, events, mail, log),
    },
    {
      provide: CommentsService,
      inject: [GATEWAY_DATA_SOURCE, DocumentAccess, CommentEvents, MentionNotifier, GATEWAY_LOGGER],
      useFactory: (
        dataSource: DataSource,
        access: DocumentAccess,
        events: CommentEvents,
        mentions: MentionNotifier,
        log: Logger,
      ) => new CommentsService(dataSource, access, events, mentions, log),
    },
    {
      provide: NotificationsService,
      inject: [GATEWAY_DATA_SOURCE],
      useFactory: (dataSource: DataSource) => new NotificationsService(dataSource),
    },
  ],
})
export class CommentsModule {}
