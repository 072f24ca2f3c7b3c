import { DOC_ID, expectAccepted, expectRejected } from '../../test/expect-parse';
import { ClientId, Color, CorrelationId, DocId, InstanceId, Seq, Version, VersionParam } from './ids';
import { Role, RoleSchema, canEdit, canManage } from './roles';

describe('identifiers', () => {
  it('documents are UUIDs', () => {
    expectAccepted(DocId, DOC_ID);
    for (const bad of ['', 'doc-1', `${DOC_ID}x`, DOC_ID.replace(/-/g, ''), 1]) expectRejected(DocId, bad);
  });

  it('client ids are 1..64 of [A-Za-z0-9_-]', () => {
    expectAccepted(ClientId, 'a');
    expectAccepted(ClientId, 'Ab_9-'.repeat(12));
    for (const bad of ['', 'x'.repeat(65), 'a b', 'a:b', 'é', '../x']) expectRejected(ClientId, bad);
  });

  it('seq is a positive safe integer, versions non-negative safe integers', () => {
    expectAccepted(Seq, 1);
    expectAccepted(Version, 0);
    expectAccepted(Version, Number.MAX_SAFE_INTEGER);
    for (const bad of [0, -1, 1.5, 2 ** 53, Number.NaN, '1']) expectRejected(Seq, bad);
    for (const bad of [-1, 0.1, 2 ** 53, Number.POSITIVE_INFINITY, '0', null]) expectRejected(Version, bad);
  });

  it('version path parameters are plain decimal integers', () => {
    expect(expectAccepted(VersionParam, '0')).toBe(0);
    expect(expectAccepted(VersionParam, '120')).toBe(120);
    for (const bad of ['', '-1', '+1', '1.0', '0x10', '1e2', '007', '9007199254740992'])
      expectRejected(VersionParam, bad);
  });

  it('instance and correlation ids stay out of Redis key syntax where needed', () => {
    expectAccepted(InstanceId, 'doc-service-5d9f7b-x2k.1');
    expectRejected(InstanceId, 'a:b');
    expectAccepted(CorrelationId, 'req:abc-1');
    expectRejected(CorrelationId, 'a b');
    expectAccepted(Color, '#A0b1C2');
    expectRejected(Color, '#abc');
  });
});

describe('roles', () => {
  it('are owner, editor, commenter and viewer; only owner and editor edit; only the owner manages', () => {
    expect(Object.values(Role).sort()).toEqual(['commenter', 'editor', 'owner', 'viewer']);
    expect(RoleSchema.safeParse('admin').success).toBe(false);
    expect([canEdit('owner'), canEdit('editor'), canEdit('commenter'), canEdit('viewer')]).toEqual([
      true,
      true,
      false,
      false,
    ]);
    expect([canManage('owner'), canManage('editor'), canManage('commenter'), canManage('viewer')]).toEqual([
      true,
      false,
      false,
      false,
    ]);
  });
});
