import { ObservabilityModule } from '@collab/observability';
import { type DynamicModule, Inject, Module, type OnApplicationShutdown } from '@nestjs/common';
import type { Logger } from 'pino';
import type { DocServiceConfig } from './config/env';
import { DocServiceRuntime } from './doc-service.runtime';

@Module({})
export class DocServiceModule implements OnApplicationShutdown {
  constructor(@Inject(DocServiceRuntime) private readonly runtime: DocServiceRuntime) {}

  static forRoot(config: DocServiceConfig, log: Logger): DynamicModule {
    return {
      module: DocServiceModule,
      // Global: the observability module's factory injects the runtime.
      global: true,
      imports: [
        // /healthz, /readyz and /metrics on HTTP_PORT.
        ObservabilityModule.forRootAsync({
          inject: [DocServiceRuntime],
          useFactory: (runtime: DocServiceRuntime) => ({
            registry: runtime.metrics.registry,
            metricsToken: config.METRICS_TOKEN,
            liveness: () => ({ instanceId: runtime.instanceId }),
            readiness: runtime.readinessChecks(),
            onReadinessChange: (ready, failing) =>
              ready ? log.info('doc-service ready') : log.warn({ failing }, 'doc-service not ready'),
          }),
        }),
      ],
      providers: [{ provide: DocServiceRuntime, useFactory: () => DocServiceRuntime.start(config, log) }],
      exports: [DocServiceRuntime],
    };
  }

  async onApplicationShutdown(): Promise<void> {
    await this.runtime.stop();
  }
}
