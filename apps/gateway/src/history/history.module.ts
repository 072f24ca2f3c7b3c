import { Module } from '@nestjs/common';
import type { DataSource } from 'typeorm';
import { GATEWAY_DATA_SOURCE } from '../config/config.token';
import { DocumentAccess } from '../documents/document-access';
import { DocumentsModule } from '../documents/documents.module';
import { DocumentsService } from '../documents/documents.service';
import { DocRouter } from '../routing/doc-router';
import { HistoryController } from './history.controller';
import { HistoryService } from './history.service';

/** Version history, restore, copy and export (REST). Infrastructure comes from the global GatewayModule. */
@Module({
  imports: [DocumentsModule],
  controllers: [HistoryController],
  providers: [
    {
      provide: HistoryService,
      inject: [GATEWAY_DATA_SOURCE, DocumentAccess, DocRouter, DocumentsService],
      useFactory: (
        dataSource: DataSource,
        access: DocumentAccess,
        router: DocRouter,
        documents: DocumentsService,
      ) => new HistoryService(dataSource, access, router, documents),
    },
  ],
})
export class HistoryModule {}
