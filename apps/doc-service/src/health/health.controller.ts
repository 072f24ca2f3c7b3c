import { Controller, Get, HttpCode, HttpStatus, Inject, Res } from '@nestjs/common';
import type { Response } from 'express';
import { DocServiceRuntime } from '../doc-service.runtime';

/** Liveness and readiness for the orchestrator. */
@Controller()
export class HealthController {
  constructor(@Inject(DocServiceRuntime) private readonly runtime: DocServiceRuntime) {}

  @Get('healthz')
  @HttpCode(HttpStatus.OK)
  healthz(): { ok: true; instanceId: string } {
    return { ok: true, instanceId: this.runtime.instanceId };
  }

  @Get('readyz')
  async readyz(
    @Res({ passthrough: true }) res: Response,
  ): Promise<{ ok: boolean; checks: Record<string, boolean> }> {
    const result = await this.runtime.readiness();
    res.status(result.ok ? HttpStatus.OK : HttpStatus.SERVICE_UNAVAILABLE);
    return result;
  }
}
