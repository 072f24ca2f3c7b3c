import { redisKeys } from '@collab/contracts';
import { Module } from '@nestjs/common';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { DataSource } from 'typeorm';
import { AccessNoticePublisher } from '../access/access-notices.publisher';
import { GATEWAY_CONFIG, GATEWAY_DATA_SOURCE, GATEWAY_LOGGER, GATEWAY_REDIS } from '../config/config.token';
import type { GatewayConfig } from '../config/env';
import { InvitationsController } from '../invitations/invitations.controller';
import { InvitationsService } from '../invitations/invitations.service';
import { MembersController } from '../members/members.controller';
import { MailQueue } from '../mail/mail-queue';
import { MembersService } from '../members/members.service';
import { DocumentAccess } from './document-access';
import { DocumentCache } from './document-cache';
import { DocumentsController } from './documents.controller';
import { DocumentsService } from './documents.service';

/**
 * Documents, members and invitations over REST. Config, Redis, the
 * DataSource and DocumentAccess come from the global GatewayModule.
 */
@Module({
  controllers: [DocumentsController, MembersController, InvitationsController],
  providers: [
    {
      provide: DocumentCache,
      inject: [GATEWAY_CONFIG, GATEWAY_REDIS, GATEWAY_LOGGER],
      useFactory: (config: GatewayConfig, redis: Redis, log: Logger) =>
        new DocumentCache(
          redis,
          redisKeys(config.REDIS_PREFIX),
          { listSeconds: config.DOCUMENT_LIST_CACHE_SECONDS, documentSeconds: config.DOCUMENT_CACHE_SECONDS },
          log,
        ),
    },
    {
      provide: AccessNoticePublisher,
      inject: [GATEWAY_CONFIG, GATEWAY_REDIS, GATEWAY_LOGGER],
      useFactory: (config: GatewayConfig, redis: Redis, log: Logger) =>
        new AccessNoticePublisher(redis, redisKeys(config.REDIS_PREFIX), log),
    },
    {
      provide: DocumentsService,
      inject: [GATEWAY_DATA_SOURCE, DocumentAccess, DocumentCache, AccessNoticePublisher],
      useFactory: (
        dataSource: DataSource,
        access: DocumentAccess,
        cache: DocumentCache,
        notices: AccessNoticePublisher,
      ) => new DocumentsService(dataSource, access, cache, notices),
    },
    {
      provide: MembersService,
      inject: [
        GATEWAY_CONFIG,
        GATEWAY_DATA_SOURCE,
        DocumentAccess,
        DocumentsService,
        DocumentCache,
        AccessNoticePublisher,
        MailQueue,
      ],
      useFactory: (
        config: GatewayConfig,
        dataSource: DataSource,
        access: DocumentAccess,
        documents: DocumentsService,
        cache: DocumentCache,
        notices: AccessNoticePublisher,
        mail: MailQueue,
      ) =>
        new MembersService(
          dataSource,
          access,
          documents,
          cache,
          notices,
          config.INVITATION_TTL_SECONDS,
          mail,
        ),
    },
    {
      provide: InvitationsService,
      inject: [GATEWAY_DATA_SOURCE, DocumentsService, DocumentCache, AccessNoticePublisher],
      useFactory: (
        dataSource: DataSource,
        documents: DocumentsService,
        cache: DocumentCache,
        notices: AccessNoticePublisher,
      ) => new InvitationsService(dataSource, documents, cache, notices),
    },
  ],
  // The history's "copy as a new document" creates documents too.
  exports: [DocumentsService],
})
export class DocumentsModule {}
