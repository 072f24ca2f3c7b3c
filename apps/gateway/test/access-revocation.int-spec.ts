import type { AccessChanged, AccessRevoked, CommittedOp, CommittedOps } from '@collab/contracts';
import type { Socket as ClientSocket } from 'socket.io-client';
import { until } from '@collab/testing';
import { GatewayHarness, request, type RunningGateway, sleep } from './harness';

jest.setTimeout(60_000);

let h: GatewayHarness;
let gw1: RunningGateway;
let gw2: RunningGateway;

beforeAll(async () => {
  h = await GatewayHarness.create('gw_revoke');
  await h.startDocService();
  gw1 = await h.startGateway();
  gw2 = await h.startGateway();
  await h.settle();
});
afterAll(() => h?.close());

/** The Redis client id of a gateway's notice subscriber (its connection is named after the gateway). */
async function subscriberId(gatewayId: string): Promise<string> {
  const list = (await h.redis.client('LIST')) as string;
  const line = list.split('\n').find((l) => l.includes(` name=gateway-notices-${gatewayId} `));
  const id = line ? /(?:^| )id=(\d+)/.exec(line)?.[1] : undefined;
  if (!id) throw new Error(`no notice subscriber connection for ${gatewayId}`);
  return id;
}

/**
 * Resolves with the first `event` payload, or rejects after `ms` (a generous
 * bound: how soon a notice arrives is a figure, printed by bench/fairness).
 */
function next<T>(socket: ClientSocket, event: string, ms: number): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no ${event} within ${ms} ms`)), ms);
    socket.once(event, (payload: T) => {
      clearTimeout(timer);
      resolve(payload);
    });
  });
}

let seq = 0;
function op(docId: string, clientId: string, baseVersion: number, text = 'x') {
  seq += 1;
  return { docId, clientId, seq, baseVersion, delta: [{ insert: text }] };
}

/**
 * A socket of `userId` joined to `docId` on `gateway`, recording the versions
 * broadcast to it. Once it has seen a version, that gateway has emitted the
 * version to every socket in the room: a request answered on another socket
 * of that gateway after this point is answered after anything sent to it
 * (one connection delivers in order). That is how a test shows a socket was
 * sent nothing, without sleeping.
 */
async function roomWatcher(gateway: RunningGateway, userId: string, docId: string) {
  const socket = await h.connect(gateway, userId);
  const versions: number[] = [];
  socket.on('ops', (committed: CommittedOps) => versions.push(...committed.ops.map((o) => o.version)));
  expect(await request(socket, 'join', { docId })).toMatchObject({ ok: true });
  return {
    sawVersion: (version: number) =>
      until(() => versions.includes(version), {
        what: `version ${version} broadcast on the watched gateway`,
      }),
  };
}

async function sharedDoc(memberRole: 'editor' | 'viewer') {
  const owner = await h.createUser('Owner');
  const member = await h.createUser('Member');
  const docId = await h.createDocument(owner);
  await h.addMember(docId, member, memberRole);
  // Owner and member on different gateways: the notice has to cross Redis.
  const ownerSocket = await h.connect(gw1, owner);
  const memberSocket = await h.connect(gw2, member);
  expect(await request(ownerSocket, 'join', { docId })).toMatchObject({ ok: true, role: 'owner' });
  expect(await request(memberSocket, 'join', { docId })).toMatchObject({ ok: true, role: memberRole });
  return { owner, member, docId, ownerSocket, memberSocket };
}

describe('live revocation across gateways', () => {
  it('refuses a viewer’s operation', async () => {
    const { docId, memberSocket } = await sharedDoc('viewer');
    const refused = await request(memberSocket, 'op', op(docId, 'viewer-1', 0));
    expect(refused).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    expect(await h.storedOps(docId)).toEqual([]);
  });

  it('refuses a downgraded editor’s next operation and tells the editor', async () => {
    const { owner, member, docId, memberSocket } = await sharedDoc('editor');
    expect(await request(memberSocket, 'op', op(docId, 'ed-1', 0))).toEqual({ ok: true, version: 1 });

    const changed = next<AccessChanged>(memberSocket, 'access:changed', 10_000);
    const patch = await h.api(gw1, 'PATCH', `/documents/${docId}/members/${member}`, {
      token: h.token(owner),
      body: { role: 'viewer' },
    });
    expect(patch.status).toBe(200);
    // The very next operation is refused: roles are read from PostgreSQL on every operation.
    const refused = await request(memberSocket, 'op', op(docId, 'ed-1', 1));
    expect(refused).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    expect(await changed).toEqual({ docId, role: 'viewer' });
    expect((await h.storedOps(docId)).map((o) => o.version)).toEqual([1]);
  });

  it('lets an upgraded viewer edit at once', async () => {
    const { owner, member, docId, memberSocket } = await sharedDoc('viewer');
    const changed = next<AccessChanged>(memberSocket, 'access:changed', 10_000);
    await h.api(gw1, 'PATCH', `/documents/${docId}/members/${member}`, {
      token: h.token(owner),
      body: { role: 'editor' },
    });
    expect(await changed).toEqual({ docId, role: 'editor' });
    expect(await request(memberSocket, 'op', op(docId, 'up-1', 0))).toEqual({ ok: true, version: 1 });
  });

  it('evicts a removed member: out of the room, told why, sees nothing more', async () => {
    const { owner, member, docId, ownerSocket, memberSocket } = await sharedDoc('editor');
    const onMembersGateway = await roomWatcher(gw2, owner, docId);
    const seenByMember: CommittedOp[] = [];
    memberSocket.on('ops', (committed: CommittedOps) => seenByMember.push(...committed.ops));
    const carets: unknown[] = [];
    ownerSocket.on('presence:leave', (leave: unknown) => carets.push(leave));

    const revoked = next<AccessRevoked>(memberSocket, 'access:revoked', 10_000);
    const removal = await h.api(gw1, 'DELETE', `/documents/${docId}/members/${member}`, {
      token: h.token(owner),
    });
    expect(removal.status).toBe(204);
    expect(await revoked).toEqual({ docId, reason: 'member_removed' });

    // The owner keeps editing; not a byte of it reaches the removed member.
    expect(await request(ownerSocket, 'op', op(docId, 'own-1', 0, 'secret'))).toEqual({
      ok: true,
      version: 1,
    });
    await onMembersGateway.sawVersion(1);
    expect(await request(memberSocket, 'catchup', { docId, fromVersion: 0 })).toMatchObject({
      ok: false,
      error: { code: 'NOT_JOINED' },
    });
    expect(seenByMember).toEqual([]);
    expect(await request(memberSocket, 'op', op(docId, 'rm-1', 0))).toMatchObject({ ok: false });
    expect(await request(memberSocket, 'join', { docId })).toMatchObject({
      ok: false,
      error: { code: 'NOT_FOUND' },
    });
    expect(carets).toContainEqual({ docId, sessionId: expect.any(String) });
    expect((await h.storedOps(docId)).map((o) => o.clientId)).toEqual(['own-1']);
  });

  it('closes every open editor of a deleted document', async () => {
    const { owner, docId, ownerSocket, memberSocket } = await sharedDoc('viewer');
    const revokedMember = next<AccessRevoked>(memberSocket, 'access:revoked', 10_000);
    const revokedOwner = next<AccessRevoked>(ownerSocket, 'access:revoked', 10_000);
    expect((await h.api(gw2, 'DELETE', `/documents/${docId}`, { token: h.token(owner) })).status).toBe(204);
    expect(await revokedMember).toEqual({ docId, reason: 'document_deleted' });
    expect(await revokedOwner).toEqual({ docId, reason: 'document_deleted' });
    expect(await request(ownerSocket, 'op', op(docId, 'del-1', 0))).toMatchObject({ ok: false });
  });

  it('applies a role changed behind the notices’ back to a typing user’s operations after ACCESS_RECHECK_SECONDS', async () => {
    // No notice is published for these changes: only the backstop re-read can see them.
    const gateway = await h.startGateway({ ACCESS_RECHECK_SECONDS: '1' });
    const owner = await h.createUser();
    const editor = await h.createUser();
    const removed = await h.createUser();
    const docId = await h.createDocument(owner);
    await h.addMember(docId, editor, 'editor');
    await h.addMember(docId, removed, 'editor');
    const editorSocket = await h.connect(gateway, editor);
    const removedSocket = await h.connect(gateway, removed);
    expect(await request(editorSocket, 'join', { docId })).toMatchObject({ ok: true, role: 'editor' });
    expect(await request(removedSocket, 'join', { docId })).toMatchObject({ ok: true, role: 'editor' });
    const changed = next<AccessChanged>(editorSocket, 'access:changed', 10_000);
    const revoked = next<AccessRevoked>(removedSocket, 'access:revoked', 10_000);
    await h.dataSource.query(
      `UPDATE document_members SET role = 'viewer' WHERE document_id = $1 AND user_id = $2`,
      [docId, editor],
    );
    await h.dataSource.query('DELETE FROM document_members WHERE document_id = $1 AND user_id = $2', [
      docId,
      removed,
    ]);
    // Both keep typing (one operation each, acknowledged, before the next) until refused.
    const typeUntilRefused = async (socket: ClientSocket, clientId: string) => {
      const deadline = Date.now() + 10_000;
      for (let accepted = 0; Date.now() < deadline;) {
        const version = (await h.storedOps(docId)).length;
        const ack = await request<{ ok: boolean; error?: { code: string } }>(
          socket,
          'op',
          op(docId, clientId, version),
        );
        if (!ack.ok) return { accepted, code: ack.error?.code };
        accepted++;
        await sleep(50); // pacing of a typist, not synchronisation: the loop ends on the refusal
      }
      throw new Error(`${clientId}: no operation refused within 10 s of the role change`);
    };
    const [asEditor, asRemoved] = await Promise.all([
      typeUntilRefused(editorSocket, 'typist-1'),
      typeUntilRefused(removedSocket, 'typist-2'),
    ]);
    expect(asEditor.code).toBe('FORBIDDEN');
    expect(asRemoved.code).toMatch(/^(FORBIDDEN|NOT_JOINED)$/);
    expect(await changed).toEqual({ docId, role: 'viewer' });
    expect(await revoked).toEqual({ docId, reason: 'member_removed' });
    // Every operation acknowledged before the change was seen is stored, and nothing after it.
    expect((await h.storedOps(docId)).length).toBe(asEditor.accepted + asRemoved.accepted);
    expect(await request(removedSocket, 'catchup', { docId, fromVersion: 0 })).toMatchObject({
      ok: false,
      error: { code: 'NOT_JOINED' },
    });
  });

  it('re-reads every joined socket’s role when its notice subscriber reconnects (notices sent meanwhile are lost)', async () => {
    const gatewayId = `gw-revoke-${Date.now().toString(36)}`;
    const gateway = await h.startGateway({ GATEWAY_ID: gatewayId });
    const owner = await h.createUser();
    const editor = await h.createUser();
    const viewer = await h.createUser();
    const docId = await h.createDocument(owner);
    await h.addMember(docId, editor, 'editor');
    await h.addMember(docId, viewer, 'viewer');
    const editorSocket = await h.connect(gateway, editor);
    const viewerSocket = await h.connect(gateway, viewer);
    expect(await request(editorSocket, 'join', { docId })).toMatchObject({ ok: true });
    expect(await request(viewerSocket, 'join', { docId })).toMatchObject({ ok: true });
    const changed = next<AccessChanged>(editorSocket, 'access:changed', 10_000);
    const revoked = next<AccessRevoked>(viewerSocket, 'access:revoked', 10_000);
    // Behind the API's back: no notice is published, and the sockets stay idle.
    await h.dataSource.query(
      `UPDATE document_members SET role = 'viewer' WHERE document_id = $1 AND user_id = $2`,
      [docId, editor],
    );
    await h.dataSource.query('DELETE FROM document_members WHERE document_id = $1 AND user_id = $2', [
      docId,
      viewer,
    ]);
    // Redis drops this gateway's subscriber connection; ioredis reconnects it.
    const killed = await h.redis.client('KILL', 'ID', await subscriberId(gatewayId));
    expect(killed).toBe(1);
    expect(await changed).toEqual({ docId, role: 'viewer' });
    expect(await revoked).toEqual({ docId, reason: 'member_removed' });
  });

  it('never lets a user without a role join or see a byte of the document', async () => {
    const owner = await h.createUser();
    const outsider = await h.createUser();
    const docId = await h.createDocument(owner);
    const ownerSocket = await h.connect(gw1, owner);
    const outsiderSocket = await h.connect(gw2, outsider);
    const seen: unknown[] = [];
    outsiderSocket.onAny((event: string, payload: unknown) => seen.push([event, payload]));
    expect(await request(ownerSocket, 'join', { docId })).toMatchObject({ ok: true });
    const onOutsidersGateway = await roomWatcher(gw2, owner, docId);
    const join = await request(outsiderSocket, 'join', { docId });
    expect(join).toEqual({ ok: false, error: { code: 'NOT_FOUND', message: expect.any(String) } });
    expect(await request(outsiderSocket, 'catchup', { docId, fromVersion: 0 })).toMatchObject({
      ok: false,
      error: { code: 'NOT_JOINED' },
    });
    expect(await request(outsiderSocket, 'op', op(docId, 'out-1', 0))).toMatchObject({
      ok: false,
      error: { code: 'NOT_JOINED' },
    });
    expect(await request(ownerSocket, 'op', op(docId, 'own-2', 0, 'private'))).toEqual({
      ok: true,
      version: 1,
    });
    await onOutsidersGateway.sawVersion(1);
    // A round trip on the outsider's own connection: answered after anything sent to it before.
    expect(await request(outsiderSocket, 'catchup', { docId, fromVersion: 0 })).toMatchObject({ ok: false });
    expect(seen).toEqual([]);
  });
});
