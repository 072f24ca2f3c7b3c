import { type ErrorCode } from '@collab/contracts';
import { applyDecorators } from '@nestjs/common';
import { ApiResponse } from '@nestjs/swagger';
import { HTTP_STATUS } from '../http/http-status';
import { schemaRef } from './openapi-schemas';

/**
 * Documents the error answers of a route: one response per HTTP status,
 * listing the codes that produce it, each with the error envelope.
 */
export function ApiErrors(...codes: ErrorCode[]): MethodDecorator & ClassDecorator {
  const byStatus = new Map<number, ErrorCode[]>();
  for (const code of codes)
    byStatus.set(HTTP_STATUS[code], [...(byStatus.get(HTTP_STATUS[code]) ?? []), code]);
  return applyDecorators(
    ...[...byStatus].map(([status, list]) =>
      ApiResponse({ status, description: list.join(', '), schema: schemaRef('ErrorBody') }),
    ),
  );
}
