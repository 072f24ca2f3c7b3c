import { type DynamicModule, type InjectionToken, Module, type ModuleMetadata } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { type ObservabilityOptions, OBSERVABILITY_OPTIONS } from './observability.options';
import { ProbesController } from './probes.controller';

export interface ObservabilityModuleOptions {
  readonly imports?: ModuleMetadata['imports'];
  readonly inject?: InjectionToken[];
  readonly useFactory: (...args: never[]) => ObservabilityOptions | Promise<ObservabilityOptions>;
}

/**
 * /healthz, /readyz and /metrics for one service. The factory receives the
 * service's own providers (`inject`), which must be visible from here: from a
 * global module or one listed in `imports`.
 */
@Module({})
export class ObservabilityModule {
  static forRootAsync(options: ObservabilityModuleOptions): DynamicModule {
    return {
      module: ObservabilityModule,
      // Terminus's own error log is off: readiness changes are logged once, by the service.
      imports: [TerminusModule.forRoot({ logger: false }), ...(options.imports ?? [])],
      controllers: [ProbesController],
      providers: [
        {
          provide: OBSERVABILITY_OPTIONS,
          inject: options.inject ?? [],
          useFactory: options.useFactory as (...args: unknown[]) => ObservabilityOptions,
        },
      ],
    };
  }
}
