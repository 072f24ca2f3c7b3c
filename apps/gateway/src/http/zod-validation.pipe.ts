import { AppError, parse } from '@collab/contracts';
import type { PipeTransform } from '@nestjs/common';
import type { z } from 'zod';

/**
 * Validates a body, query or route parameter against a contracts schema;
 * a mismatch is BAD_REQUEST naming the failing paths, before the handler
 * runs. Usage: `@Body(new ZodValidationPipe(CreateDocumentRequest)) body`.
 */
export class ZodValidationPipe<S extends z.ZodType> implements PipeTransform<unknown, z.output<S>> {
  constructor(private readonly schema: S) {}

  transform(value: unknown): z.output<S> {
    const result = parse(this.schema, value);
    if (!result.ok) {
      throw new AppError(result.error.code, result.error.message, {
        ...(result.error.details ? { details: result.error.details } : {}),
      });
    }
    return result.value;
  }
}
