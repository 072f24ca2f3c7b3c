import { randomUUID } from 'node:crypto';
import type { DocumentList, DocumentSummary } from '@collab/contracts';
import { DocumentList as DocumentListSchema } from '@collab/contracts';
import { DocumentCache } from '../src/documents/document-cache';
import { errorCode, GatewayHarness, request, type RunningGateway } from './harness';

jest.setTimeout(60_000);

let h: GatewayHarness;
let gateway: RunningGateway;

beforeAll(async () => {
  h = await GatewayHarness.create('gw_documents');
  gateway = await h.startGateway();
});
afterAll(() => h?.close());

async function createDoc(ownerId: string, title = 'Plan'): Promise<DocumentSummary> {
  const res = await h.api<DocumentSummary>(gateway, 'POST', '/documents', {
    token: h.token(ownerId),
    body: { title },
  });
  expect(res.status).toBe(201);
  return res.body;
}

async function listOf(userId: string): Promise<DocumentList> {
  const res = await h.api<DocumentList>(gateway, 'GET', '/documents', { token: h.token(userId) });
  expect(res.status).toBe(200);
  return res.body;
}

describe('POST /documents', () => {
  it('creates a document owned by the caller', async () => {
    const owner = await h.createUser('Ada');
    const doc = await createDoc(owner, '  Roadmap  ');
    expect(doc).toEqual({
      id: expect.any(String),
      title: 'Roadmap',
      role: 'owner',
      ownerId: owner,
      headVersion: 0,
      updatedAt: expect.any(String),
      collaborators: [{ userId: owner, name: 'Ada', color: '#336699' }],
    });
    const rows: { role: string }[] = await h.dataSource.query(
      'SELECT role FROM document_members WHERE document_id = $1 AND user_id = $2',
      [doc.id, owner],
    );
    expect(rows).toEqual([{ role: 'owner' }]);
  });

  it.each([
    ['no body', undefined],
    ['an empty title', { title: '   ' }],
    ['a control character', { title: 'a\u0007b' }],
    ['an unknown key', { title: 'x', public: true }],
    ['a title too long', { title: 'x'.repeat(201) }],
  ])('refuses %s with BAD_REQUEST and creates nothing', async (_name, body) => {
    const owner = await h.createUser();
    const res = await h.api(gateway, 'POST', '/documents', { token: h.token(owner), body });
    expect(res.status).toBe(400);
    expect(errorCode(res.body)).toBe('BAD_REQUEST');
    expect(await h.dataSource.query('SELECT 1 FROM documents WHERE owner_id = $1', [owner])).toHaveLength(0);
  });

  it('refuses an unauthenticated caller and a token of an account that no longer exists', async () => {
    const res = await h.api(gateway, 'POST', '/documents', { body: { title: 'x' } });
    expect(res.status).toBe(401);
    expect(errorCode(res.body)).toBe('UNAUTHENTICATED');
    const ghost = await h.api(gateway, 'POST', '/documents', {
      token: h.token(randomUUID()),
      body: { title: 'x' },
    });
    expect([ghost.status, errorCode(ghost.body)]).toEqual([401, 'UNAUTHENTICATED']);
  });
});

describe('GET /documents', () => {
  it('lists mine and shared with me, with role, last edit and collaborators, newest first', async () => {
    const me = await h.createUser('Me');
    const other = await h.createUser('Other');
    const stranger = await h.createUser('Stranger');
    const mine = await createDoc(me, 'Mine');
    const shared = await createDoc(other, 'Shared');
    await h.addMember(shared.id, me, 'viewer');
    await createDoc(stranger, 'Not mine');
    // Make "Mine" the most recently edited.
    await h.dataSource.query(`UPDATE documents SET updated_at = now() + interval '1 minute' WHERE id = $1`, [
      mine.id,
    ]);

    const list = await listOf(me);
    expect(DocumentListSchema.safeParse(list).success).toBe(true);
    expect(list.documents.map((d) => [d.title, d.role])).toEqual([
      ['Mine', 'owner'],
      ['Shared', 'viewer'],
    ]);
    expect(list.documents[1]?.collaborators.map((c) => c.name)).toEqual(['Other', 'Me']);
  });

  it('refuses an unauthenticated caller and an expired token', async () => {
    expect((await h.api(gateway, 'GET', '/documents')).status).toBe(401);
    const expired = await h.api(gateway, 'GET', '/documents', { token: h.token(randomUUID(), -10) });
    expect(errorCode(expired.body)).toBe('TOKEN_EXPIRED');
  });

  it('caches the list in Redis for about a minute and never shows the caller their own change stale', async () => {
    const owner = await h.createUser();
    const editor = await h.createUser();
    const doc = await createDoc(owner, 'Before');
    await h.addMember(doc.id, editor, 'editor');
    await listOf(owner);
    await listOf(editor);
    const key = h.keys.documentListCache(owner);
    const ttl = await h.redis.ttl(key);
    expect(ttl).toBeGreaterThan(50);
    expect(ttl).toBeLessThanOrEqual(60);

    // A change made behind the cache's back is not seen: the list is served from Redis.
    await h.dataSource.query('UPDATE documents SET title = $2 WHERE id = $1', [doc.id, 'Sneaky']);
    expect((await listOf(owner)).documents[0]?.title).toBe('Before');

    // An edit (the doc-service's commit moves the head) shows at once, from the cached list.
    const older = await createDoc(owner, 'Older'); // (creating invalidates: the sneaky title shows)
    expect((await listOf(owner)).documents.map((d) => d.title)).toEqual(['Older', 'Sneaky']);
    await h.dataSource.query(
      "UPDATE documents SET head_version = 7, updated_at = now() + interval '1 second' WHERE id = $1",
      [doc.id],
    );
    const afterEdit = (await listOf(owner)).documents;
    expect(afterEdit.map((d) => [d.title, d.headVersion])).toEqual([
      ['Sneaky', 7],
      ['Older', 0],
    ]);
    await h.api(gateway, 'DELETE', `/documents/${older.id}`, { token: h.token(owner) });

    // A rename through the API invalidates every member's list and the metadata at once.
    const renamed = await h.api(gateway, 'PATCH', `/documents/${doc.id}`, {
      token: h.token(owner),
      body: { title: 'After' },
    });
    expect(renamed.status).toBe(200);
    expect((await listOf(owner)).documents[0]?.title).toBe('After');
    expect((await listOf(editor)).documents[0]?.title).toBe('After');

    // Creating and deleting show at once too.
    const second = await createDoc(owner, 'Second');
    expect((await listOf(owner)).documents.map((d) => d.title)).toContain('Second');
    const deleted = await h.api(gateway, 'DELETE', `/documents/${second.id}`, { token: h.token(owner) });
    expect(deleted.status).toBe(204);
    expect((await listOf(owner)).documents.map((d) => d.title)).not.toContain('Second');
  });

  it('never stores a list read before an invalidation (generation check)', async () => {
    const cache = gateway.app.get(DocumentCache, { strict: false });
    const userId = randomUUID();
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const stale = { documents: [] };
    const slowRead = cache.list(userId, DocumentListSchema, async () => {
      await gate;
      return stale;
    });
    // A write commits and invalidates while the read is in flight.
    await cache.invalidate({ userIds: [userId] });
    release();
    expect(await slowRead).toEqual(stale);
    await cache.settled();
    expect(await h.redis.exists(h.keys.documentListCache(userId))).toBe(0);
    // A read that did not race is stored.
    await cache.list(userId, DocumentListSchema, () => Promise.resolve(stale));
    await cache.settled();
    expect(await h.redis.exists(h.keys.documentListCache(userId))).toBe(1);
  });
});

describe('GET /documents/:docId', () => {
  it('answers members with their role, and caches the metadata for about five minutes', async () => {
    const owner = await h.createUser('Owner');
    const viewer = await h.createUser('Viewer');
    const doc = await createDoc(owner);
    await h.addMember(doc.id, viewer, 'viewer');
    const res = await h.api<DocumentSummary>(gateway, 'GET', `/documents/${doc.id}`, {
      token: h.token(viewer),
    });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ id: doc.id, role: 'viewer', ownerId: owner });
    const ttl = await h.redis.ttl(h.keys.documentCache(doc.id));
    expect(ttl).toBeGreaterThan(250);
    expect(ttl).toBeLessThanOrEqual(300);
  });

  it('answers NOT_FOUND to a non-member and for an unknown id, BAD_REQUEST for a malformed id', async () => {
    const owner = await h.createUser();
    const stranger = await h.createUser();
    const doc = await createDoc(owner);
    const hidden = await h.api(gateway, 'GET', `/documents/${doc.id}`, { token: h.token(stranger) });
    expect(hidden.status).toBe(404);
    expect(errorCode(hidden.body)).toBe('NOT_FOUND');
    expect(
      (await h.api(gateway, 'GET', `/documents/${randomUUID()}`, { token: h.token(owner) })).status,
    ).toBe(404);
    const malformed = await h.api(gateway, 'GET', '/documents/not-a-uuid', { token: h.token(owner) });
    expect(malformed.status).toBe(400);
    expect(errorCode(malformed.body)).toBe('BAD_REQUEST');
    expect((await h.api(gateway, 'GET', `/documents/${doc.id}`)).status).toBe(401);
  });
});

describe('PATCH /documents/:docId', () => {
  it('lets only the owner rename', async () => {
    const owner = await h.createUser();
    const editor = await h.createUser();
    const viewer = await h.createUser();
    const stranger = await h.createUser();
    const doc = await createDoc(owner, 'Original');
    await h.addMember(doc.id, editor, 'editor');
    await h.addMember(doc.id, viewer, 'viewer');
    for (const [user, status, code] of [
      [editor, 403, 'FORBIDDEN'],
      [viewer, 403, 'FORBIDDEN'],
      [stranger, 404, 'NOT_FOUND'],
    ] as const) {
      const res = await h.api(gateway, 'PATCH', `/documents/${doc.id}`, {
        token: h.token(user),
        body: { title: 'Hijacked' },
      });
      expect([res.status, errorCode(res.body)]).toEqual([status, code]);
    }
    expect((await h.api(gateway, 'PATCH', `/documents/${doc.id}`, { body: { title: 'x' } })).status).toBe(
      401,
    );
    for (const body of [{}, { title: '' }, { title: 'x', extra: 1 }, undefined]) {
      const res = await h.api(gateway, 'PATCH', `/documents/${doc.id}`, { token: h.token(owner), body });
      expect([res.status, errorCode(res.body)]).toEqual([400, 'BAD_REQUEST']);
    }
    const title: { title: string }[] = await h.dataSource.query('SELECT title FROM documents WHERE id = $1', [
      doc.id,
    ]);
    expect(title).toEqual([{ title: 'Original' }]);

    const ok = await h.api<DocumentSummary>(gateway, 'PATCH', `/documents/${doc.id}`, {
      token: h.token(owner),
      body: { title: 'Renamed' },
    });
    expect(ok.status).toBe(200);
    expect(ok.body.title).toBe('Renamed');
    const seenByViewer = await h.api<DocumentSummary>(gateway, 'GET', `/documents/${doc.id}`, {
      token: h.token(viewer),
    });
    expect(seenByViewer.body.title).toBe('Renamed');
  });
});

describe('DELETE /documents/:docId', () => {
  it('lets only the owner delete; afterwards nobody can open it, and its members are told it was deleted', async () => {
    const owner = await h.createUser();
    const editor = await h.createUser();
    const doc = await createDoc(owner);
    await h.addMember(doc.id, editor, 'editor');
    await listOf(editor);
    const refused = await h.api(gateway, 'DELETE', `/documents/${doc.id}`, { token: h.token(editor) });
    expect([refused.status, errorCode(refused.body)]).toEqual([403, 'FORBIDDEN']);
    expect((await h.api(gateway, 'DELETE', `/documents/${doc.id}`)).status).toBe(401);
    expect((await h.api(gateway, 'DELETE', '/documents/nope', { token: h.token(owner) })).status).toBe(400);

    expect((await h.api(gateway, 'DELETE', `/documents/${doc.id}`, { token: h.token(owner) })).status).toBe(
      204,
    );
    // Its former members are told it was deleted (410), rather than that it never existed.
    expect((await h.api(gateway, 'GET', `/documents/${doc.id}`, { token: h.token(owner) })).status).toBe(410);
    expect((await h.api(gateway, 'DELETE', `/documents/${doc.id}`, { token: h.token(owner) })).status).toBe(
      410,
    );
    expect((await listOf(editor)).documents).toEqual([]);

    const socket = await h.connect(gateway, editor);
    const join = await request(socket, 'join', { docId: doc.id });
    expect(join).toMatchObject({ ok: false, error: { code: 'DOCUMENT_DELETED' } });
  });
});

describe('OpenAPI', () => {
  it('serves the documentation with every route and the contract schemas', async () => {
    const json = await fetch(`${gateway.url}/api/docs-json`);
    expect(json.status).toBe(200);
    const spec = (await json.json()) as {
      paths: Record<string, Record<string, unknown>>;
      components: { schemas: Record<string, unknown> };
    };
    const routes = Object.entries(spec.paths).flatMap(([path, methods]) =>
      Object.keys(methods).map((method) => `${method.toUpperCase()} ${path}`),
    );
    expect(routes).toEqual(
      expect.arrayContaining([
        'POST /api/auth/sign-up',
        'POST /api/auth/sign-in',
        'POST /api/auth/refresh',
        'POST /api/auth/sign-out',
        'GET /api/me',
        'POST /api/documents',
        'GET /api/documents',
        'GET /api/documents/{docId}',
        'PATCH /api/documents/{docId}',
        'DELETE /api/documents/{docId}',
        'GET /api/documents/{docId}/members',
        'POST /api/documents/{docId}/invitations',
        'DELETE /api/documents/{docId}/invitations/{invitationId}',
        'PATCH /api/documents/{docId}/members/{userId}',
        'DELETE /api/documents/{docId}/members/{userId}',
        'GET /api/invitations',
        'POST /api/invitations/accept',
        'POST /api/invitations/{invitationId}/accept',
        'GET /api/documents/{docId}/comments',
        'POST /api/documents/{docId}/comments',
        'POST /api/documents/{docId}/comments/{threadId}',
        'PATCH /api/documents/{docId}/comments/{threadId}/{commentId}',
        'DELETE /api/documents/{docId}/comments/{threadId}/{commentId}',
        'POST /api/documents/{docId}/comments/{threadId}/resolve',
        'POST /api/documents/{docId}/comments/{threadId}/reopen',
        'GET /api/notifications',
        'GET /api/notifications/unread-count',
        'POST /api/notifications/read',
      ]),
    );
    expect(spec.components.schemas).toMatchObject({
      SignUpRequest: { type: 'object', required: ['email', 'password', 'name'] },
      DocumentSummary: { type: 'object' },
      ErrorBody: { type: 'object' },
      CreateThreadRequest: { type: 'object', required: ['threadId', 'commentId', 'anchor', 'body'] },
      CommentThreadList: { type: 'object' },
      NotificationList: { type: 'object' },
    });
    const html = await fetch(`${gateway.url}/api/docs`);
    expect(html.status).toBe(200);
    expect(await html.text()).toContain('swagger');
  });
});
