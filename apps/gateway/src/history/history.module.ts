import { Module } from '@nestjs/common';
import type { DataSource } from 'typeorm';
import { GATEWAY_DATA_SOURCE } from '../config/config.token';
import { DocumentAccess } from '../documents/document-access';
import { DocRouter } from '../routing/doc-router';
import { HistoryController } from './history.controller';
import { HistoryService } from './history.service';

/** Version history, restore and export (REST). Infrastructure comes from the global GatewayModule. */
@Module({
  controllers: [HistoryController],
  providers: [
    {
      provide: HistoryService,
      inject: [GATEWAY_DATA_SOURCE, DocumentAccess, DocRouter],
      useFactory: (dataSource: DataSource, access: DocumentAccess, router: DocRouter) =>
        new HistoryService(dataSource, access, router),
    },
  ],
})
export class HistoryModule {}
