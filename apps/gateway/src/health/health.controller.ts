import { Controller, Get, Inject } from '@nestjs/common';
import { GATEWAY_CONFIG } from '../config/config.token';
import type { GatewayConfig } from '../config/env';
import { DocRouter } from '../routing/doc-router';

/** Liveness for the orchestrator. */
@Controller()
export class HealthController {
  constructor(
    @Inject(GATEWAY_CONFIG) private readonly config: GatewayConfig,
    @Inject(DocRouter) private readonly router: DocRouter,
  ) {}

  @Get('healthz')
  healthz(): { ok: true; gatewayId: string; docServices: number } {
    return { ok: true, gatewayId: this.config.GATEWAY_ID, docServices: this.router.members.length };
  }
}
