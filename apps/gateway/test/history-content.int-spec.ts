import { expectError, seededHistory, versions } from './seeded-history';

jest.setTimeout(90_000);

const stack = seededHistory('gw_history_content');
const { api } = stack;

describe('GET /documents/:docId/versions/:version', () => {
  it('serves any version to any role: Delta and sanitized HTML, composed from the nearest snapshot', async () => {
    for (const user of [stack.owner, stack.editor, stack.viewer]) {
      const res = await api<{ version: number; delta: unknown; html: string }>(
        'GET',
        `/documents/${stack.docId}/versions/4`,
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
    const atSnapshot = await api<{ html: string }>('GET', `/documents/${stack.docId}/versions/2`, {
      user: stack.viewer,
    });
    expect(atSnapshot.body.html).toBe('<p>from the snapshot</p>');
    const empty = await api('GET', `/documents/${stack.docId}/versions/0`, { user: stack.viewer });
    expect(empty.body).toEqual({ version: 0, delta: [{ insert: '\n' }], html: '<p><br /></p>' });
  });

  it('refuses a version above head and malformed versions', async () => {
    expectError(
      await api('GET', `/documents/${stack.docId}/versions/99`, { user: stack.owner }),
      404,
      'NOT_FOUND',
    );
    for (const bad of ['abc', '-1', '1.5', '1e3', '01', '99999999999999999999']) {
      expectError(
        await api('GET', `/documents/${stack.docId}/versions/${bad}`, { user: stack.owner }),
        400,
        'BAD_REQUEST',
      );
    }
  });
});

describe('GET /documents/:docId/export', () => {
  it('exports a version as Markdown, text and sanitized HTML with a content type and a file name', async () => {
    const md = await api('GET', `/documents/${stack.docId}/export?format=markdown&version=4`, {
      user: stack.viewer,
    });
    expect(md.status).toBe(200);
    expect(md.headers.get('content-type')).toBe('text/markdown; charset=utf-8');
    expect(md.headers.get('content-disposition')).toBe(
      `attachment; filename="Doc-v4.md"; filename*=UTF-8''Doc-v4.md`,
    );
    expect(md.body).toBe(
      '# Plan\n\nSome **bold** and a [link](https://example.com/a)\n\n-   one\n-   two\n\n' +
        '\\<script>alert(1)\\</script>\\<img src=x onerror="alert(2)">click\n',
    );

    const text = await api('GET', `/documents/${stack.docId}/export?format=text&version=2`, {
      user: stack.viewer,
    });
    expect(text.headers.get('content-type')).toBe('text/plain; charset=utf-8');
    expect(text.body).toBe('Plan\nSome bold and a link\n');

    const html = await api<string>('GET', `/documents/${stack.docId}/export?format=html&version=4`, {
      user: stack.viewer,
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
    const head = await api('GET', `/documents/${stack.docId}/export?format=text`, { user: stack.owner });
    expect(head.status).toBe(200);
    expect(head.headers.get('content-disposition')).toContain(
      `-v${await stack.h.storedOps(stack.docId).then((o) => o.length)}.txt`,
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
        await api('GET', `/documents/${stack.docId}/export?${query}`, { user: stack.owner }),
        400,
        'BAD_REQUEST',
      );
    }
    expectError(
      await api('GET', `/documents/${stack.docId}/export?format=text&version=99`, { user: stack.owner }),
      404,
      'NOT_FOUND',
    );
  });
});
