import { DocumentList, DocumentSummary, VersionContent, VersionDiff } from '@collab/contracts';
import { insertOperations, type NewOperation } from '@collab/persistence';
import Delta from 'quill-delta';
import { GatewayHarness, request, type RunningGateway } from './harness';

jest.setTimeout(90_000);

let h: GatewayHarness;
let gw: RunningGateway;
let owner: string;
let viewer: string;
let stranger: string;
let docId: string;
const versions: Delta[] = [new Delta([{ insert: '\n' }])];

const EDITS: Delta[] = [
  new Delta().insert('Plan').insert('\n', { header: 1 }),
  new Delta().retain(5).insert('Some ').insert('bold', { bold: true }).insert('\n', { list: 'bullet' }),
  new Delta().retain(5).delete(5).insert('Later '),
];

beforeAll(async () => {
  h = await GatewayHarness.create('gw_history_copy');
  await h.startDocService();
  gw = await h.startGateway();
  await h.settle();
  owner = await h.createUser('Ada');
  viewer = await h.createUser('Cy');
  stranger = await h.createUser('Dee');
  docId = await h.createDocument(owner);
  await h.addMember(docId, viewer, 'viewer');
  const rows: NewOperation[] = EDITS.map((op, i) => {
    versions.push(versions[i].compose(op));
    return {
      documentId: docId,
      version: i + 1,
      delta: op.ops as NewOperation['delta'],
      userId: owner,
      clientId: 'seed',
      seq: i + 1,
      submissionHash: `h${i}`,
    };
  });
  await insertOperations(h.dataSource.manager, rows);
});

afterAll(async () => {
  await h?.close();
});

const call = <T>(method: string, path: string, user: string, body?: unknown) =>
  h.api<T>(gw, method, path, { token: h.token(user), body });

function expectError(res: { status: number; body: unknown }, status: number, code: string) {
  const error = (res.body as { error?: { code?: string } }).error;
  expect({ status: res.status, code: error?.code }).toEqual({ status, code });
}

describe('POST /documents/:docId/versions/:version/copy', () => {
  it("makes a document of the caller's with that version's content, which opens and takes edits", async () => {
    // A viewer may copy what they can read; the copy is theirs.
    const res = await call<DocumentSummary>('POST', `/documents/${docId}/versions/2/copy`, viewer);
    expect(res.status).toBe(201);
    const copy = DocumentSummary.parse(res.body);
    expect(copy).toMatchObject({ title: 'Doc (version 2)', role: 'owner', ownerId: viewer, headVersion: 1 });
    expect(copy.id).not.toBe(docId);

    const content = await call<VersionContent>('GET', `/documents/${copy.id}/versions/1`, viewer);
    expect(new Delta(VersionContent.parse(content.body).delta)).toEqual(versions[2]);
    // The copy's history starts with the content, written by the copier.
    const diff = VersionDiff.parse(
      (await call('GET', `/documents/${copy.id}/diff?from=0&to=1`, viewer)).body,
    );
    expect(diff.authors.map((a) => a.userId)).toEqual([viewer]);
    const listed = DocumentList.parse((await call('GET', '/documents', viewer)).body);
    expect(listed.documents.map((d) => d.id)).toContain(copy.id);
    // The owner of the source has no role on the copy.
    expectError(await call('GET', `/documents/${copy.id}`, owner), 404, 'NOT_FOUND');

    // A doc-service opens it from its log, and it takes the next edit as version 2.
    const socket = await h.connect(gw, viewer);
    const joined = await request<{ ok: boolean; version: number; content: unknown }>(socket, 'join', {
      docId: copy.id,
    });
    expect(joined).toMatchObject({ ok: true, version: 1 });
    expect(new Delta(joined.content as Delta['ops'])).toEqual(versions[2]);
    const op = await request<{ ok: boolean; version: number }>(socket, 'op', {
      docId: copy.id,
      baseVersion: 1,
      delta: [{ insert: 'Copied: ' }],
      clientId: 'copy-editor',
      seq: 1,
    });
    expect(op).toMatchObject({ ok: true, version: 2 });
    socket.disconnect();
  });

  it('takes a title, and copies version 0 as an empty document', async () => {
    const named = await call<DocumentSummary>('POST', `/documents/${docId}/versions/3/copy`, owner, {
      title: ' Draft ',
    });
    expect(named.status).toBe(201);
    expect(named.body).toMatchObject({ title: 'Draft', headVersion: 1 });
    const content = await call<VersionContent>('GET', `/documents/${named.body.id}/versions/1`, owner);
    expect(new Delta(content.body.delta)).toEqual(versions[3]);

    const empty = await call<DocumentSummary>('POST', `/documents/${docId}/versions/0/copy`, owner, {});
    expect(empty.status).toBe(201);
    expect(empty.body).toMatchObject({ title: 'Doc (version 0)', headVersion: 0 });
  });

  it('refuses bad input with a code, and creates nothing', async () => {
    const count = async () =>
      Number(((await h.dataSource.query('SELECT count(*) AS n FROM documents')) as { n: string }[])[0].n);
    const before = await count();
    expectError(await call('POST', `/documents/${docId}/versions/4/copy`, owner), 404, 'NOT_FOUND');
    expectError(await call('POST', `/documents/${docId}/versions/1/copy`, stranger), 404, 'NOT_FOUND');
    expectError(await call('POST', `/documents/${docId}/versions/-1/copy`, owner), 400, 'BAD_REQUEST');
    expectError(await call('POST', `/documents/${docId}/versions/x/copy`, owner), 400, 'BAD_REQUEST');
    expectError(
      await call('POST', `/documents/${docId}/versions/1/copy`, owner, { title: '' }),
      400,
      'BAD_REQUEST',
    );
    expectError(
      await call('POST', `/documents/${docId}/versions/1/copy`, owner, { title: 'a', ownerId: stranger }),
      400,
      'BAD_REQUEST',
    );
    expectError(await call('POST', `/documents/not-a-uuid/versions/1/copy`, owner), 400, 'BAD_REQUEST');
    expectError(await h.api(gw, 'POST', `/documents/${docId}/versions/1/copy`, {}), 401, 'UNAUTHENTICATED');
    expect(await count()).toBe(before);
  });
});
