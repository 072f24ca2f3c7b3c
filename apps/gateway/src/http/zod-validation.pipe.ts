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

/**
 * The type of a value a {@link ZodValidationPipe} produced. Annotate
 * parameters with it (`body: Parsed<typeof SignUpRequest>`) rather than with
 * the contract's same-named type: decorator metadata would otherwise record
 * the zod schema object as the parameter's class, which @nestjs/swagger
 * then tries to introspect.
 */
export type Parsed<S extends z.ZodType> = z.output<S>;
