import type { INestApplication } from '@nestjs/common';
import { ModulesContainer } from '@nestjs/core';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { z } from 'zod';
import { OPENAPI_REQUEST_SCHEMAS, OPENAPI_RESPONSE_SCHEMAS } from './openapi-schemas';

/** Where the interactive documentation is served (the JSON at `${OPENAPI_PATH}-json`). */
const OPENAPI_PATH = 'api/docs';

type JsonSchema = Record<string, unknown>;

/**
 * Builds the OpenAPI document from the controllers' decorators and the
 * contracts' zod schemas, and serves it at /api/docs. Requests are described
 * as zod reads them (`io: 'input'`), responses as they are produced.
 */
export function setupOpenApi(app: INestApplication): void {
  const config = new DocumentBuilder()
    .setTitle('Collab gateway')
    .setDescription(
      'Accounts, documents, members and invitations. Errors answer `{error: {code, message, details?}}`; ' +
        'the code decides the status. Real-time editing is on Socket.IO, not here.',
    )
    .setVersion('1')
    .addBearerAuth({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT' })
    .build();
  forgetNonClassParamTypes(app);
  const document = SwaggerModule.createDocument(app, config);
  const schemas: Record<string, JsonSchema> = {
    ...(document.components?.schemas as Record<string, JsonSchema>),
  };
  for (const [name, schema] of Object.entries(OPENAPI_REQUEST_SCHEMAS)) {
    schemas[name] = toOpenApi(schema, 'input');
  }
  for (const [name, schema] of Object.entries(OPENAPI_RESPONSE_SCHEMAS)) {
    schemas[name] = toOpenApi(schema, 'output');
  }
  document.components = { ...document.components, schemas };
  SwaggerModule.setup(OPENAPI_PATH, app, document, { useGlobalPrefix: false });
}

function toOpenApi(schema: z.ZodType, io: 'input' | 'output'): JsonSchema {
  const { $schema: _ignored, ...rest } = z.toJSONSchema(schema, {
    target: 'openapi-3.0',
    io,
    unrepresentable: 'any',
  }) as JsonSchema;
  return rest;
}

/**
 * A handler parameter annotated with a contract type (`body: SignUpRequest`)
 * gets the same-named zod schema *object* as its recorded class, which
 * @nestjs/swagger cannot introspect (it throws at boot). Such entries are
 * replaced with `Object`; routes document their bodies with `@ApiBody`
 * instead. Nothing else reads these types: the pipes validate with zod.
 */
function forgetNonClassParamTypes(app: INestApplication): void {
  for (const module of app.get(ModulesContainer).values()) {
    for (const wrapper of module.controllers.values()) {
      const prototype = (wrapper.metatype as { prototype?: object } | null)?.prototype;
      if (!prototype) continue;
      for (const name of Object.getOwnPropertyNames(prototype)) {
        const types: unknown = Reflect.getMetadata('design:paramtypes', prototype, name);
        if (!Array.isArray(types) || types.every((type) => typeof type === 'function')) continue;
        const classes = types.map((type: unknown) => (typeof type === 'function' ? type : Object));
        Reflect.defineMetadata('design:paramtypes', classes, prototype, name);
      }
    }
  }
}
