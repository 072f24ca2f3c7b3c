import { timingSafeEqual } from 'node:crypto';
import {
  Controller,
  Get,
  Header,
  Headers,
  HttpStatus,
  Inject,
  Res,
  UnauthorizedException,
} from '@nestjs/common';
import {
  HealthCheckService,
  HealthIndicatorService,
  type HealthCheckResult,
  type HealthIndicatorResult,
} from '@nestjs/terminus';
import { type ObservabilityOptions, OBSERVABILITY_OPTIONS } from './observability.options';
import type { ReadinessCheck } from './readiness-checks';

const DEFAULT_TIMEOUT_MS = 2000;

/** The part of a response the probes set (Express's and Fastify's both have it). */
interface StatusSetter {
  status(code: number): unknown;
}

/**
 * Liveness, readiness and the Prometheus scrape, at the root of every
 * service. Liveness only says the process answers: it never touches a
 * dependency, or a Redis outage would restart every pod. Readiness checks
 * each dependency with a terminus indicator and answers 503 naming the
 * failing ones under `error`. The 503 is set on the response rather than
 * thrown, so an application's own exception filter cannot rewrite the body.
 */
@Controller()
export class ProbesController {
  private lastReady: boolean | undefined;

  constructor(
    @Inject(HealthCheckService) private readonly health: HealthCheckService,
    @Inject(HealthIndicatorService) private readonly indicators: HealthIndicatorService,
    @Inject(OBSERVABILITY_OPTIONS) private readonly options: ObservabilityOptions,
  ) {}

  @Get('healthz')
  @Header('cache-control', 'no-store')
  healthz(): Record<string, unknown> {
    return { ok: true, ...this.options.liveness?.() };
  }

  @Get('readyz')
  @Header('cache-control', 'no-store')
  async readyz(@Res({ passthrough: true }) res: StatusSetter): Promise<HealthCheckResult> {
    let result: HealthCheckResult;
    try {
      result = await this.health.check(this.options.readiness.map((check) => () => this.indicate(check)));
    } catch (error) {
      // terminus throws a ServiceUnavailableException whose response is the result.
      const response = (error as { getResponse?: () => unknown }).getResponse?.();
      if (!isHealthCheckResult(response)) throw error;
      result = response;
    }
    const ready = result.status === 'ok';
    res.status(ready ? HttpStatus.OK : HttpStatus.SERVICE_UNAVAILABLE);
    if (ready !== this.lastReady) {
      this.lastReady = ready;
      this.options.onReadinessChange?.(ready, Object.keys(result.error ?? {}));
    }
    return result;
  }

  @Get('metrics')
  @Header('cache-control', 'no-store')
  async metrics(
    @Res({ passthrough: true }) res: { type(contentType: string): unknown },
    @Headers('authorization') authorization?: string,
  ): Promise<string> {
    const token = this.options.metricsToken;
    if (token !== undefined && !bearerMatches(authorization, token)) {
      throw new UnauthorizedException('/metrics needs the metrics token (Authorization: Bearer ...)');
    }
    res.type(this.options.registry.contentType);
    return this.options.registry.metrics();
  }

  private async indicate(check: ReadinessCheck): Promise<HealthIndicatorResult> {
    const session = this.indicators.check(check.name);
    const timeoutMs = this.options.readinessTimeoutMs ?? DEFAULT_TIMEOUT_MS;
    let timer: NodeJS.Timeout | undefined;
    try {
      await Promise.race([
        Promise.resolve().then(() => check.check()),
        new Promise((_, reject) => {
          timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
        }),
      ]);
      return session.up();
    } catch (error) {
      return session.down({ message: error instanceof Error ? error.message : String(error) });
    } finally {
      clearTimeout(timer);
    }
  }
}

/** Constant-time comparison, so the answer time does not reveal how much of a guess was right. */
function bearerMatches(header: string | undefined, token: string): boolean {
  const match = /^Bearer (.+)$/.exec(header ?? '');
  if (!match) return false;
  const given = Buffer.from(match[1]);
  const expected = Buffer.from(token);
  return given.length === expected.length && timingSafeEqual(given, expected);
}

function isHealthCheckResult(value: unknown): value is HealthCheckResult {
  return typeof value === 'object' && value !== null && 'status' in value && 'details' in value;
}
