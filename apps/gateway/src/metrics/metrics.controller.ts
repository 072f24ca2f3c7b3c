import { Controller, Get, Header, Inject } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { GatewayMetrics } from './gateway-metrics';

/** Prometheus scrape endpoint, at the root like the probes (outside /api). */
@ApiExcludeController()
@Controller()
export class MetricsController {
  constructor(@Inject(GatewayMetrics) private readonly metrics: GatewayMetrics) {}

  @Get('metrics')
  @Header('content-type', 'text/plain; version=0.0.4')
  scrape(): string {
    return this.metrics.render();
  }
}
