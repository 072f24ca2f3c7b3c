import { type DynamicModule, Inject, Module, type OnApplicationShutdown } from '@nestjs/common';
import type { Logger } from 'pino';
import type { DocServiceConfig } from './config/env';
import { DocServiceRuntime } from './doc-service.runtime';
import { HealthController } from './health/health.controller';

@Module({})
export class DocServiceModule implements OnApplicationShutdown {
  constructor(@Inject(DocServiceRuntime) private readonly runtime: DocServiceRuntime) {}

  static forRoot(config: DocServiceConfig, log: Logger): DynamicModule {
    return {
      module: DocServiceModule,
      controllers: [HealthController],
      providers: [{ provide: DocServiceRuntime, useFactory: () => DocServiceRuntime.start(config, log) }],
      exports: [DocServiceRuntime],
    };
  }

  async onApplicationShutdown(): Promise<void> {
    await this.runtime.stop();
  }
}
