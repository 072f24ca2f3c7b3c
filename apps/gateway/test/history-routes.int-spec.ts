import { randomUUID } from 'node:crypto';
import { EDITS, expectError, seededHistory } from './seeded-history';

jest.setTimeout(90_000);

const stack = seededHistory('gw_history_routes');
const { api, operationCount, namedCount } = stack;

/** Every route with a valid request body, for the checks every route shares. */
const ROUTES: { route: string; method: string; path: (doc: string) => string; body?: unknown }[] = [
  { route: 'list', method: 'GET', path: (d) => `/documents/${d}/versions` },
  { route: 'content', method: 'GET', path: (d) => `/documents/${d}/versions/1` },
  { route: 'name', method: 'PUT', path: (d) => `/documents/${d}/versions/1/name`, body: { name: 'n' } },
  { route: 'restore', method: 'POST', path: (d) => `/documents/${d}/restore`, body: { version: 1 } },
  { route: 'export', method: 'GET', path: (d) => `/documents/${d}/export?format=text` },
  { route: 'diff', method: 'GET', path: (d) => `/documents/${d}/diff?from=0&to=1` },
  { route: 'attribution', method: 'GET', path: (d) => `/documents/${d}/attribution` },
];

describe('history REST: shared rules', () => {
  it.each(ROUTES)(
    '$route: unauthenticated, bad token, stranger, unknown and malformed document ids are refused',
    async ({ method, path, body }) => {
      expectError(await api(method, path(stack.docId), { body }), 401, 'UNAUTHENTICATED');
      expectError(
        await stack.h.api(stack.gw, method, path(stack.docId), { token: 'not.a.jwt', body }),
        401,
        'UNAUTHENTICATED',
      );
      expectError(
        await stack.h.api(stack.gw, method, path(stack.docId), {
          token: stack.h.token(stack.owner, -10),
          body,
        }),
        401,
        'TOKEN_EXPIRED',
      );
      // Someone without a role cannot tell the document exists.
      expectError(await api(method, path(stack.docId), { user: stack.stranger, body }), 404, 'NOT_FOUND');
      expectError(await api(method, path(randomUUID()), { user: stack.owner, body }), 404, 'NOT_FOUND');
      expectError(await api(method, path('not-a-uuid'), { user: stack.owner, body }), 400, 'BAD_REQUEST');
    },
  );

  it('a deleted document opens on no route: its owner is told it was deleted, a stranger that it is not found', async () => {
    const deleted = await stack.h.createDocument(stack.owner);
    await stack.h.dataSource.query('UPDATE documents SET deleted_at = now() WHERE id = $1', [deleted]);
    for (const { method, path, body } of ROUTES) {
      expectError(await api(method, path(deleted), { user: stack.owner, body }), 410, 'DOCUMENT_DELETED');
      expectError(await api(method, path(deleted), { user: stack.stranger, body }), 404, 'NOT_FOUND');
    }
  });

  it('nothing above changed the document', async () => {
    expect(await operationCount()).toBe(EDITS.length);
    expect(await namedCount()).toBe(0);
  });
});

describe('OpenAPI', () => {
  it('documents every history route with the contract schemas', async () => {
    const spec = (await (await fetch(`${stack.gw.url}/api/docs-json`)).json()) as {
      paths: Record<string, Record<string, unknown>>;
      components: { schemas: Record<string, unknown> };
    };
    const routes = Object.entries(spec.paths).flatMap(([route, methods]) =>
      Object.keys(methods).map((method) => `${method.toUpperCase()} ${route}`),
    );
    expect(routes).toEqual(
      expect.arrayContaining([
        'GET /api/documents/{docId}/versions',
        'GET /api/documents/{docId}/versions/{version}',
        'PUT /api/documents/{docId}/versions/{version}/name',
        'POST /api/documents/{docId}/restore',
        'GET /api/documents/{docId}/export',
        'GET /api/documents/{docId}/diff',
        'GET /api/documents/{docId}/attribution',
        'POST /api/documents/{docId}/versions/{version}/copy',
      ]),
    );
    expect(spec.components.schemas).toMatchObject({
      VersionList: { type: 'object' },
      VersionContent: { type: 'object' },
      VersionDiff: { type: 'object', required: expect.arrayContaining(['ops', 'changes', 'authors']) },
      DocumentAttribution: { type: 'object', required: expect.arrayContaining(['runs', 'length']) },
      NameVersionRequest: { type: 'object', required: ['name'] },
      RestoreVersionRequest: { type: 'object', required: ['version'] },
      CopyVersionRequest: { type: 'object' },
    });
  });
});
