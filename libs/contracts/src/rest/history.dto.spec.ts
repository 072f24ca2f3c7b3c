import { USER_ID, expectAccepted, expectRejected } from '../../test/expect-parse';
import {
  EXPORT_FORMATS,
  ExportFormat,
  ExportQuery,
  NameVersionRequest,
  RestoreVersionRequest,
  VersionContent,
  VersionList,
  VersionListQuery,
} from './history.dto';

describe('history DTOs', () => {
  it('lists versions of each kind', () => {
    const author = { userId: USER_ID, name: 'Ada', color: '#000000' };
    expectAccepted(VersionList, {
      headVersion: 120,
      versions: [
        {
          version: 120,
          kind: 'restore',
          name: 'Restored version 50',
          createdAt: '2025-01-01T00:00:00Z',
          authors: [author],
        },
        { version: 100, kind: 'named', name: 'Draft 1', createdAt: '2025-01-01T00:00:00Z', authors: [] },
        { version: 50, kind: 'snapshot', createdAt: '2025-01-01T00:00:00Z', authors: [author] },
      ],
    });
    expectRejected(
      VersionList,
      {
        headVersion: 1,
        versions: [{ version: 1, kind: 'autosave', createdAt: '2025-01-01T00:00:00Z', authors: [] }],
      },
      { path: 'versions[0].kind' },
    );
  });

  it('carries the content of a version', () => {
    expectAccepted(VersionContent, { version: 3, delta: [{ insert: 'a\n' }], html: '<p>a</p>' });
    expectRejected(VersionContent, { version: 3, delta: [{ insert: 'a\n' }] }, { path: 'html' });
  });

  it('names and restores versions', () => {
    expect(expectAccepted(NameVersionRequest, { name: ' Final ' })).toEqual({ name: 'Final' });
    expectRejected(NameVersionRequest, { name: '' }, { path: 'name' });
    expectRejected(NameVersionRequest, { name: 'x'.repeat(101) }, { path: 'name' });
    expectAccepted(RestoreVersionRequest, { version: 0 });
    expectRejected(RestoreVersionRequest, { version: -1 }, { path: 'version' });
    expectRejected(RestoreVersionRequest, { version: 2.5 }, { path: 'version' });
    expectRejected(RestoreVersionRequest, { version: '3' }, { path: 'version' });
  });

  it('parses export query strings', () => {
    expect(expectAccepted(ExportQuery, { format: 'markdown', version: '42' })).toEqual({
      format: 'markdown',
      version: 42,
    });
    expect(expectAccepted(ExportQuery, { format: 'html' })).toEqual({ format: 'html' });
    for (const version of ['-1', '1.5', '1e3', ' 1', '01', '', '99999999999999999']) {
      expectRejected(ExportQuery, { format: 'text', version }, { path: 'version' });
    }
    expectRejected(ExportQuery, { format: 'pdf' }, { path: 'format' });
    expect(Object.keys(EXPORT_FORMATS).sort()).toEqual(Object.values(ExportFormat).sort());
  });

  it('reads the history page query from strings and refuses anything else', () => {
    expect(VersionListQuery.parse({})).toEqual({});
    expect(VersionListQuery.parse({ before: '1200', limit: '50' })).toEqual({ before: 1200, limit: 50 });
    for (const bad of [
      { limit: '0' },
      { limit: '501' },
      { limit: '-1' },
      { limit: '1e2' },
      { before: 'abc' },
      { before: '-3' },
      { other: '1' },
    ]) {
      expect(VersionListQuery.safeParse(bad).success).toBe(false);
    }
  });
});
