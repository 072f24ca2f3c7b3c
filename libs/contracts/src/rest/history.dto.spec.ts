import { USER_ID, expectAccepted, expectRejected } from '../../test/expect-parse';
import {
  AttributionQuery,
  CopyVersionRequest,
  DocumentAttribution,
  EXPORT_FORMATS,
  ExportFormat,
  ExportQuery,
  NameVersionRequest,
  RestoreVersionRequest,
  VersionContent,
  VersionDiff,
  VersionDiffQuery,
  VersionList,
  VersionListQuery,
} from './history.dto';

describe('history DTOs', () => {
  it('lists versions of each kind', () => {
    const author = { userId: USER_ID, name: 'Ada', color: '#000000' };
    expectAccepted(VersionList, {
      headVersion: 120,
      entries: [
        {
          kind: 'restore',
          version: 120,
          fromVersion: 120,
          toVersion: 120,
          restoredFrom: 50,
          createdAt: '2025-01-01T00:10:00Z',
          authors: [author],
        },
        { kind: 'named', version: 100, name: 'Draft 1', createdAt: '2025-01-01T00:00:00Z', namedBy: author },
        {
          kind: 'session',
          fromVersion: 1,
          toVersion: 119,
          startedAt: '2025-01-01T00:00:00Z',
          endedAt: '2025-01-01T00:09:00Z',
          authors: [author],
        },
      ],
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
        entries: [],
        versions: [{ version: 1, kind: 'autosave', createdAt: '2025-01-01T00:00:00Z', authors: [] }],
      },
      { path: 'versions[0].kind' },
    );
    expectRejected(
      VersionList,
      {
        headVersion: 1,
        versions: [],
        entries: [{ kind: 'session', fromVersion: 1, toVersion: 1, authors: [] }],
      },
      { path: 'entries[0].startedAt' },
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

  it('copies a version with an optional title', () => {
    expect(expectAccepted(CopyVersionRequest, {})).toEqual({});
    expect(expectAccepted(CopyVersionRequest, { title: ' Draft ' })).toEqual({ title: 'Draft' });
    expectRejected(CopyVersionRequest, { title: '' }, { path: 'title' });
    expectRejected(CopyVersionRequest, { title: 'x'.repeat(201) }, { path: 'title' });
    expectRejected(CopyVersionRequest, { title: 'a', owner: 'b' });
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

  it('carries a diff whose changes run beside its ops', () => {
    const diff = {
      from: 3,
      to: 9,
      ops: [{ retain: 2 }, { insert: 'hi', attributes: { bold: true } }, { delete: 1 }],
      changes: [
        { kind: 'retain' },
        { kind: 'insert', author: USER_ID, at: '2025-01-01T00:00:00Z' },
        {
          kind: 'delete',
          author: null,
          at: '2025-01-01T00:00:00Z',
          deletedBy: USER_ID,
          deletedAt: '2025-01-02T00:00:00Z',
          deleted: [{ insert: '\n' }],
        },
      ],
      authors: [],
    };
    expectAccepted(VersionDiff, diff);
    expectRejected(VersionDiff, { ...diff, changes: diff.changes.slice(1) }, { path: 'changes' });
    expectRejected(
      VersionDiff,
      {
        ...diff,
        changes: [
          diff.changes[0],
          diff.changes[1],
          { kind: 'delete', author: USER_ID, at: diff.changes[1].at, deletedBy: null, deletedAt: null },
        ],
      },
      { path: 'changes[2].deleted' },
    );
    // Who deleted it is always said (null when not known).
    expectRejected(
      VersionDiff,
      {
        ...diff,
        changes: [
          diff.changes[0],
          diff.changes[1],
          { kind: 'delete', author: USER_ID, at: diff.changes[1].at, deleted: [{ insert: 'x' }] },
        ],
      },
      { path: 'changes[2].deletedBy' },
    );
    expect(VersionDiffQuery.parse({ from: '3', to: '9' })).toEqual({ from: 3, to: 9 });
    for (const bad of [{ from: '3' }, { from: '-1', to: '2' }, { from: '1', to: '2', x: '1' }]) {
      expect(VersionDiffQuery.safeParse(bad).success).toBe(false);
    }
  });

  it('carries author runs and reads the attribution query', () => {
    expectAccepted(DocumentAttribution, {
      version: 4,
      length: 5,
      runs: [
        { from: 0, to: 4, userId: USER_ID, time: '2025-01-01T00:00:00Z' },
        { from: 4, to: 5, userId: null, time: '2025-01-01T00:00:00Z' },
      ],
      authors: [],
    });
    expectRejected(
      DocumentAttribution,
      {
        version: 4,
        length: 1,
        runs: [{ from: 0, to: 0, userId: null, time: '2025-01-01T00:00:00Z' }],
        authors: [],
      },
      { path: 'runs[0].to' },
    );
    expect(AttributionQuery.parse({})).toEqual({});
    expect(AttributionQuery.parse({ version: '12' })).toEqual({ version: 12 });
    expect(AttributionQuery.safeParse({ version: '1.5' }).success).toBe(false);
  });
});
