import { randomUUID } from 'node:crypto';
import { insertOperations, insertSnapshotIfAbsent, type NewOperation } from '@collab/persistence';
import Delta from 'quill-delta';
import { GatewayHarness, request, type RunningGateway } from './harness';

jest.setTimeout(90_000);

let h: GatewayHarness;
let gw: RunningGateway;
let owner: string;
let editor: string;
let viewer: string;
let stranger: string;
let docId: string;
/** The document at each seeded version. */
const versions: Delta[] = [new Delta([{ insert: '\n' }])];

/** Seeded edits: a heading, bold text, a link, a list, hostile text and a hostile link. */
const EDITS: Delta[] = [
  new Delta().insert('Plan').insert('\n', { header: 1 }),
  new Delta().retain(5).insert('Some ').insert('bold', { bold: true }).insert(' and a ').insert('link', {
    link: 'https://example.com/a',
  }),
  new Delta().retain(25).insert('\none').insert('\n', { list: 'bullet' }).insert('two').insert('\n', {
    list: 'bullet',
  }),
  new Delta()
    .retain(34)
    .insert('<script>alert(1)</script><img src=x onerror="alert(2)">')
    .insert('click', { link: 'javascript:alert(3)' }),
  new Delta().retain(5).delete(5),
];

beforeAll(async () => {
  h = await GatewayHarness.create('gw_history');
  await h.startDocService();
  gw = await h.startGateway();
  await h.settle();
  owner = await h.createUser('Ada');
  editor = await h.createUser('Bob');
  viewer = await h.createUser('Cy');
  stranger = await h.createUser('Dee');
  docId = await h.createDocument(owner);
  await h.addMember(docId, editor, 'editor');
  await h.addMember(docId, viewer, 'viewer');
  const rows: NewOperation[] = EDITS.map((op, i) => {
    versions.push(versions[i].compose(op));
    return {
      documentId: docId,
      version: i + 1,
      delta: op.ops as NewOperation['delta'],
      userId: i < 3 ? owner : editor,
      clientId: 'seed',
      seq: i + 1,
      submissionHash: `h${i}`,
    };
  });
  await insertOperations(h.dataSource.manager, rows);
  await insertSnapshotIfAbsent(h.dataSource.manager, {
    documentId: docId,
    version: 2,
    delta: versions[2].ops as NewOperation['delta'],
    html: '<p>from the snapshot</p>',
    text: '',
  });
});

afterAll(async () => {
  await h?.close();
});

const api = <T = Record<string, unknown>>(
  method: string,
  path: string,
  options: { user?: string; body?: unknown } = {},
) =>
  h.api<T>(gw, method, path, {
    token: options.user === undefined ? undefined : h.token(options.user),
    body: options.body,
  });

async function operationCount(): Promise<number> {
  return (await h.storedOps(docId)).length;
}

async function namedCount(): Promise<number> {
  const rows: { n: string }[] = await h.dataSource.query(
    'SELECT count(*) AS n FROM named_versions WHERE document_id = $1',
    [docId],
  );
  return Number(rows[0].n);
}

function expectError(res: { status: number; body: unknown }, status: number, code: string): void {
  expect({ status: res.status, code: (res.body as { error?: { code?: string } }).error?.code }).toEqual({
    status,
    code,
  });
}

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
      expectError(await api(method, path(docId), { body }), 401, 'UNAUTHENTICATED');
      expectError(await h.api(gw, method, path(docId), { token: 'not.a.jwt', body }), 401, 'UNAUTHENTICATED');
      expectError(
        await h.api(gw, method, path(docId), { token: h.token(owner, -10), body }),
        401,
        'TOKEN_EXPIRED',
      );
      // Someone without a role cannot tell the document exists.
      expectError(await api(method, path(docId), { user: stranger, body }), 404, 'NOT_FOUND');
      expectError(await api(method, path(randomUUID()), { user: owner, body }), 404, 'NOT_FOUND');
      expectError(await api(method, path('not-a-uuid'), { user: owner, body }), 400, 'BAD_REQUEST');
    },
  );

  it('a deleted document opens on no route: its owner is told it was deleted, a stranger that it is not found', async () => {
    const deleted = await h.createDocument(owner);
    await h.dataSource.query('UPDATE documents SET deleted_at = now() WHERE id = $1', [deleted]);
    for (const { method, path, body } of ROUTES) {
      expectError(await api(method, path(deleted), { user: owner, body }), 410, 'DOCUMENT_DELETED');
      expectError(await api(method, path(deleted), { user: stranger, body }), 404, 'NOT_FOUND');
    }
  });

  it('nothing above changed the document', async () => {
    expect(await operationCount()).toBe(EDITS.length);
    expect(await namedCount()).toBe(0);
  });
});

describe('GET /documents/:docId/versions/:version', () => {
  it('serves any version to any role: Delta and sanitized HTML, composed from the nearest snapshot', async () => {
    for (const user of [owner, editor, viewer]) {
      const res = await api<{ version: number; delta: unknown; html: string }>(
        'GET',
        `/documents/${docId}/versions/4`,
        { user },
      );
      expect(res.status).toBe(200);
      expect(res.body.version).toBe(4);
      expect(res.body.delta).toEqual(versions[4].ops);
      // Hostile text stays text: no script element, no event-handler attribute, no javascript: link.
      expect(res.body.html).not.toMatch(/<script/i);
      expect(res.body.html).not.toMatch(/<[^>]*\son[a-z]+=/i);
      expect(res.body.html).not.toMatch(/javascript:/i);
      expect(res.body.html).toContain('&lt;script&gt;');
      expect(res.body.html).toContain('<h1>Plan</h1>');
    }
    // Exactly at a snapshot: its stored HTML.
    const atSnapshot = await api<{ html: string }>('GET', `/documents/${docId}/versions/2`, { user: viewer });
    expect(atSnapshot.body.html).toBe('<p>from the snapshot</p>');
    const empty = await api('GET', `/documents/${docId}/versions/0`, { user: viewer });
    expect(empty.body).toEqual({ version: 0, delta: [{ insert: '\n' }], html: '<p><br /></p>' });
  });

  it('refuses a version above head and malformed versions', async () => {
    expectError(await api('GET', `/documents/${docId}/versions/99`, { user: owner }), 404, 'NOT_FOUND');
    for (const bad of ['abc', '-1', '1.5', '1e3', '01', '99999999999999999999']) {
      expectError(
        await api('GET', `/documents/${docId}/versions/${bad}`, { user: owner }),
        400,
        'BAD_REQUEST',
      );
    }
  });
});

describe('PUT /documents/:docId/versions/:version/name', () => {
  it('lets editors and the owner name a version; viewers are FORBIDDEN; bad input changes nothing', async () => {
    expectError(
      await api('PUT', `/documents/${docId}/versions/3/name`, { user: viewer, body: { name: 'Mine' } }),
      403,
      'FORBIDDEN',
    );
    for (const body of [
      {},
      { name: '' },
      { name: '   ' },
      { name: 'x'.repeat(101) },
      { name: 'a\u0007b' },
      { name: 'ok', extra: 1 },
      { name: 5 },
    ]) {
      expectError(
        await api('PUT', `/documents/${docId}/versions/3/name`, { user: editor, body }),
        400,
        'BAD_REQUEST',
      );
    }
    expectError(
      await api('PUT', `/documents/${docId}/versions/99/name`, { user: editor, body: { name: 'Future' } }),
      404,
      'NOT_FOUND',
    );
    expect(await namedCount()).toBe(0);

    const named = await api('PUT', `/documents/${docId}/versions/3/name`, {
      user: editor,
      body: { name: '  Draft 1 ' },
    });
    expect(named.status).toBe(200);
    expect(named.body).toEqual({
      version: 3,
      kind: 'named',
      name: 'Draft 1',
      createdAt: expect.any(String),
      authors: [{ userId: owner, name: 'Ada', color: '#336699' }],
    });
    // Renaming replaces the name.
    const renamed = await api('PUT', `/documents/${docId}/versions/3/name`, {
      user: owner,
      body: { name: 'Outline' },
    });
    expect(renamed.body).toMatchObject({ version: 3, name: 'Outline' });
    expect(await namedCount()).toBe(1);
  });
});

describe('POST /documents/:docId/restore and GET /documents/:docId/versions', () => {
  it('restores through the owner as a new version, listed in the history; viewers and bad input change nothing', async () => {
    expectError(
      await api('POST', `/documents/${docId}/restore`, { user: viewer, body: { version: 1 } }),
      403,
      'FORBIDDEN',
    );
    for (const body of [
      {},
      { version: '1' },
      { version: -1 },
      { version: 1.5 },
      { version: 1, extra: true },
      'nope',
    ]) {
      expectError(
        await api('POST', `/documents/${docId}/restore`, { user: editor, body }),
        400,
        'BAD_REQUEST',
      );
    }
    expectError(
      await api('POST', `/documents/${docId}/restore`, { user: editor, body: { version: 99 } }),
      409,
      'VERSION_AHEAD',
    );
    expect(await operationCount()).toBe(EDITS.length);

    const restored = await api('POST', `/documents/${docId}/restore`, { user: editor, body: { version: 2 } });
    expect(restored).toMatchObject({ status: 200, body: { version: 6 } });
    const content = await api<{ delta: unknown }>('GET', `/documents/${docId}/versions/6`, { user: viewer });
    expect(content.body.delta).toEqual(versions[2].ops);
    // Restoring what the document already holds makes no new version.
    expect(
      await api('POST', `/documents/${docId}/restore`, { user: owner, body: { version: 2 } }),
    ).toMatchObject({
      status: 200,
      body: { version: 6 },
    });
    expect(await operationCount()).toBe(6);

    const list = await api<{ headVersion: number; versions: unknown[] }>(
      'GET',
      `/documents/${docId}/versions`,
      {
        user: viewer,
      },
    );
    expect(list.status).toBe(200);
    expect(list.body).toEqual({
      headVersion: 6,
      versions: [
        {
          version: 6,
          kind: 'restore',
          name: 'Restored version 2',
          createdAt: expect.any(String),
          authors: [{ userId: editor, name: 'Bob', color: '#336699' }],
        },
        {
          version: 3,
          kind: 'named',
          name: 'Outline',
          createdAt: expect.any(String),
          authors: [{ userId: owner, name: 'Ada', color: '#336699' }],
        },
        {
          version: 2,
          kind: 'snapshot',
          createdAt: expect.any(String),
          authors: [{ userId: owner, name: 'Ada', color: '#336699' }],
        },
      ],
      // The seed commits within a second: one session per set of authors, then the restore.
      entries: [
        {
          kind: 'restore',
          version: 6,
          fromVersion: 6,
          toVersion: 6,
          restoredFrom: 2,
          createdAt: expect.any(String),
          authors: [{ userId: editor, name: 'Bob', color: '#336699' }],
        },
        {
          kind: 'session',
          fromVersion: 4,
          toVersion: 5,
          startedAt: expect.any(String),
          endedAt: expect.any(String),
          authors: [{ userId: editor, name: 'Bob', color: '#336699' }],
        },
        {
          kind: 'named',
          version: 3,
          name: 'Outline',
          createdAt: expect.any(String),
          namedBy: expect.objectContaining({ userId: expect.any(String) }),
        },
        {
          kind: 'session',
          fromVersion: 1,
          toVersion: 3,
          startedAt: expect.any(String),
          endedAt: expect.any(String),
          authors: [{ userId: owner, name: 'Ada', color: '#336699' }],
        },
      ],
    });
    const page = await api<{ versions: { version: number }[] }>(
      'GET',
      `/documents/${docId}/versions?before=3&limit=1`,
      {
        user: viewer,
      },
    );
    expect(page.body.versions.map((v) => v.version)).toEqual([2]);
    for (const query of ['limit=0', 'limit=501', 'before=x', 'limit=2&limit=3', 'other=1']) {
      expectError(
        await api('GET', `/documents/${docId}/versions?${query}`, { user: viewer }),
        400,
        'BAD_REQUEST',
      );
    }
  });
});

describe('GET /documents/:docId/export', () => {
  it('exports a version as Markdown, text and sanitized HTML with a content type and a file name', async () => {
    const md = await api('GET', `/documents/${docId}/export?format=markdown&version=4`, { user: viewer });
    expect(md.status).toBe(200);
    expect(md.headers.get('content-type')).toBe('text/markdown; charset=utf-8');
    expect(md.headers.get('content-disposition')).toBe(
      `attachment; filename="Doc-v4.md"; filename*=UTF-8''Doc-v4.md`,
    );
    expect(md.body).toBe(
      '# Plan\n\nSome **bold** and a [link](https://example.com/a)\n\n-   one\n-   two\n\n' +
        '\\<script>alert(1)\\</script>\\<img src=x onerror="alert(2)">click\n',
    );

    const text = await api('GET', `/documents/${docId}/export?format=text&version=2`, { user: viewer });
    expect(text.headers.get('content-type')).toBe('text/plain; charset=utf-8');
    expect(text.body).toBe('Plan\nSome bold and a link\n');

    const html = await api<string>('GET', `/documents/${docId}/export?format=html&version=4`, {
      user: viewer,
    });
    expect(html.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(html.headers.get('content-disposition')).toContain('filename="Doc-v4.html"');
    expect(html.body).toMatch(/^<!doctype html>/);
    expect(html.body).not.toMatch(/<script/i);
    expect(html.body).not.toMatch(/<[^>]*\son[a-z]+=/i);
    expect(html.body).not.toMatch(/javascript:/i);
    expect(html.body).toContain('<a href="https://example.com/a">link</a>');
  });

  it('exports the head when no version is named', async () => {
    const head = await api('GET', `/documents/${docId}/export?format=text`, { user: owner });
    expect(head.status).toBe(200);
    expect(head.headers.get('content-disposition')).toContain(
      `-v${await h.storedOps(docId).then((o) => o.length)}.txt`,
    );
  });

  it('refuses an unknown or missing format and a version above head', async () => {
    for (const query of [
      'format=pdf',
      '',
      'format=text&version=abc',
      'format=text&extra=1',
      'format=html&format=text',
    ]) {
      expectError(
        await api('GET', `/documents/${docId}/export?${query}`, { user: owner }),
        400,
        'BAD_REQUEST',
      );
    }
    expectError(
      await api('GET', `/documents/${docId}/export?format=text&version=99`, { user: owner }),
      404,
      'NOT_FOUND',
    );
  });
});

describe('join', () => {
  it('gives the sanitized HTML of the content for a first paint', async () => {
    const socket = await h.connect(gw, viewer);
    const joined = await request<{ ok: boolean; version: number; html: string; content: unknown }>(
      socket,
      'join',
      {
        docId,
      },
    );
    expect(joined.ok).toBe(true);
    expect(joined.content).toEqual(versions[2].ops);
    expect(joined.html).toBe(
      '<h1>Plan</h1><p>Some <strong>bold</strong> and a <a href="https://example.com/a">link</a></p>',
    );
  });
});

describe('OpenAPI', () => {
  it('documents every history route with the contract schemas', async () => {
    const spec = (await (await fetch(`${gw.url}/api/docs-json`)).json()) as {
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
