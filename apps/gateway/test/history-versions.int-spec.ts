import { request } from './harness';
import { EDITS, expectError, seededHistory, versions } from './seeded-history';

jest.setTimeout(90_000);

const stack = seededHistory('gw_history_versions');
const { api, operationCount, namedCount } = stack;

// The describes run in order on one document: the list shows the name given
// first, and join opens the document after the restore to version 2.

describe('PUT /documents/:docId/versions/:version/name', () => {
  it('lets editors and the owner name a version; viewers are FORBIDDEN; bad input changes nothing', async () => {
    expectError(
      await api('PUT', `/documents/${stack.docId}/versions/3/name`, {
        user: stack.viewer,
        body: { name: 'Mine' },
      }),
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
        await api('PUT', `/documents/${stack.docId}/versions/3/name`, { user: stack.editor, body }),
        400,
        'BAD_REQUEST',
      );
    }
    expectError(
      await api('PUT', `/documents/${stack.docId}/versions/99/name`, {
        user: stack.editor,
        body: { name: 'Future' },
      }),
      404,
      'NOT_FOUND',
    );
    expect(await namedCount()).toBe(0);

    const named = await api('PUT', `/documents/${stack.docId}/versions/3/name`, {
      user: stack.editor,
      body: { name: '  Draft 1 ' },
    });
    expect(named.status).toBe(200);
    expect(named.body).toEqual({
      version: 3,
      kind: 'named',
      name: 'Draft 1',
      createdAt: expect.any(String),
      authors: [{ userId: stack.owner, name: 'Ada', color: '#336699' }],
    });
    // Renaming replaces the name.
    const renamed = await api('PUT', `/documents/${stack.docId}/versions/3/name`, {
      user: stack.owner,
      body: { name: 'Outline' },
    });
    expect(renamed.body).toMatchObject({ version: 3, name: 'Outline' });
    expect(await namedCount()).toBe(1);
  });
});

describe('POST /documents/:docId/restore and GET /documents/:docId/versions', () => {
  it('restores through the owner as a new version, listed in the history; viewers and bad input change nothing', async () => {
    expectError(
      await api('POST', `/documents/${stack.docId}/restore`, { user: stack.viewer, body: { version: 1 } }),
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
        await api('POST', `/documents/${stack.docId}/restore`, { user: stack.editor, body }),
        400,
        'BAD_REQUEST',
      );
    }
    expectError(
      await api('POST', `/documents/${stack.docId}/restore`, { user: stack.editor, body: { version: 99 } }),
      409,
      'VERSION_AHEAD',
    );
    expect(await operationCount()).toBe(EDITS.length);

    const restored = await api('POST', `/documents/${stack.docId}/restore`, {
      user: stack.editor,
      body: { version: 2 },
    });
    expect(restored).toMatchObject({ status: 200, body: { version: 6 } });
    const content = await api<{ delta: unknown }>('GET', `/documents/${stack.docId}/versions/6`, {
      user: stack.viewer,
    });
    expect(content.body.delta).toEqual(versions[2].ops);
    // Restoring what the document already holds makes no new version.
    expect(
      await api('POST', `/documents/${stack.docId}/restore`, { user: stack.owner, body: { version: 2 } }),
    ).toMatchObject({
      status: 200,
      body: { version: 6 },
    });
    expect(await operationCount()).toBe(6);

    const list = await api<{ headVersion: number; versions: unknown[] }>(
      'GET',
      `/documents/${stack.docId}/versions`,
      {
        user: stack.viewer,
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
          authors: [{ userId: stack.editor, name: 'Bob', color: '#336699' }],
        },
        {
          version: 3,
          kind: 'named',
          name: 'Outline',
          createdAt: expect.any(String),
          authors: [{ userId: stack.owner, name: 'Ada', color: '#336699' }],
        },
        {
          version: 2,
          kind: 'snapshot',
          createdAt: expect.any(String),
          authors: [{ userId: stack.owner, name: 'Ada', color: '#336699' }],
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
          authors: [{ userId: stack.editor, name: 'Bob', color: '#336699' }],
        },
        {
          kind: 'session',
          fromVersion: 4,
          toVersion: 5,
          startedAt: expect.any(String),
          endedAt: expect.any(String),
          authors: [{ userId: stack.editor, name: 'Bob', color: '#336699' }],
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
          authors: [{ userId: stack.owner, name: 'Ada', color: '#336699' }],
        },
      ],
    });
    const page = await api<{ versions: { version: number }[] }>(
      'GET',
      `/documents/${stack.docId}/versions?before=3&limit=1`,
      {
        user: stack.viewer,
      },
    );
    expect(page.body.versions.map((v) => v.version)).toEqual([2]);
    for (const query of ['limit=0', 'limit=501', 'before=x', 'limit=2&limit=3', 'other=1']) {
      expectError(
        await api('GET', `/documents/${stack.docId}/versions?${query}`, { user: stack.viewer }),
        400,
        'BAD_REQUEST',
      );
    }
  });
});

describe('join', () => {
  it('gives the sanitized HTML of the content for a first paint', async () => {
    const socket = await stack.h.connect(stack.gw, stack.viewer);
    const joined = await request<{ ok: boolean; version: number; html: string; content: unknown }>(
      socket,
      'join',
      {
        docId: stack.docId,
      },
    );
    expect(joined.ok).toBe(true);
    expect(joined.content).toEqual(versions[2].ops);
    expect(joined.html).toBe(
      '<h1>Plan</h1><p>Some <strong>bold</strong> and a <a href="https://example.com/a">link</a></p>',
    );
  });
});
